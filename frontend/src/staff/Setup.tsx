import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { CountrySelect } from "../components/CountrySelect";
import { ErrorSummary, Field, TextField, describedBy } from "../components/ui";
import { useAuth } from "../lib/auth";
import { collectErrors, type FieldErrors } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { defaultPhoneCountry } from "../lib/phones";
import { useLinkToken } from "../portal/linkToken";
import { NewPasswordField } from "../portal/PasswordRules";
import { CheckingLink, LinkGone, StaffAuthPage } from "./StaffAuthPage";
import { CompleteSetupDocument, SetupCheckDocument } from "./staff.generated";

const FIELDS = ["organisationName", "defaultCountry", "name", "email", "password"];

/** The browser's own country (en-GB: GB) as a first guess at the organisation's. */
function browserCountry(): string {
  const region = navigator.languages
    .map((language) => language.split("-")[1])
    .find((part) => part?.length === 2);
  return defaultPhoneCountry(region);
}

/** The first run: the link `crm serve` printed creates the first administrator. */
export function Setup() {
  const token = useLinkToken();
  const [{ data, error }] = useQuery({
    query: SetupCheckDocument,
    variables: { token },
    requestPolicy: "network-only",
  });
  const [linkGone, setLinkGone] = useState(false);

  let content;
  if (error && !data) {
    content = (
      <div className="signin-card" role="alert">
        <h1>Something went wrong</h1>
        <p>{OFFLINE}</p>
      </div>
    );
  } else if (!data) {
    content = <CheckingLink />;
  } else if (!data.firstRun.needed) {
    content = (
      <LinkGone title="This CRM is already set up" links={[{ to: "/sign-in", label: "Sign in" }]}>
        <p>The first administrator exists, so the setup link no longer works. Sign in, or ask an administrator to invite you.</p>
      </LinkGone>
    );
  } else if (!data.firstRun.tokenValid || linkGone) {
    content = (
      <LinkGone title="This setup link no longer works" links={[{ to: "/sign-in", label: "Back to sign in" }]}>
        <p>
          A setup link works once, for a day, and only the newest one works. Restart <code>crm serve</code>{" "}
          (or <code>scripts/run.sh</code>) and open the link it prints in its terminal.
        </p>
      </LinkGone>
    );
  } else {
    content = <SetupForm token={token} onLinkGone={() => setLinkGone(true)} />;
  }
  return <StaffAuthPage title="Set up your CRM" named={false}>{content}</StaffAuthPage>;
}

function SetupForm({ token, onLinkGone }: { token: string; onLinkGone: () => void }) {
  const id = useId();
  const auth = useAuth();
  const navigate = useNavigate();
  const [values, setValues] = useState({
    organisationName: "",
    defaultCountry: browserCountry(),
    name: "",
    email: "",
    password: "",
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [{ fetching }, completeSetup] = useMutation(CompleteSetupDocument);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const payload = (await completeSetup({ input: { token, ...values } })).data?.completeSetup;
    if (payload?.user) {
      auth.signedInAs(payload.user);
      navigate("/contacts", { replace: true, state: { notice: `Welcome! ${values.organisationName.trim()} is ready.` } });
      return;
    }
    if (!payload) {
      setErrors({});
      setGeneral([OFFLINE]);
      return;
    }
    const found = collectErrors(payload.errors, (key) => FIELDS.includes(key) || key === "token");
    if (found.fields.token) onLinkGone();
    setErrors(found.fields);
    setGeneral(found.general);
  }

  const countryId = `${id}-country`;
  const problems = Object.keys(errors).length + general.length;
  return (
    <form className="signin-card signin-wide" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Set up your CRM</h1>
      <p>Name your organisation and create the first administrator's account: yours. You can change all of it later in Settings.</p>
      <ErrorSummary count={problems} general={general} />
      <fieldset className="setup-part">
        <legend>Your organisation</legend>
        <TextField
          id={`${id}-organisation`}
          label="Organisation name"
          hint="Shown in the app, the client portal and the emails the CRM sends."
          value={values.organisationName}
          onChange={set("organisationName")}
          error={errors.organisationName}
          autoComplete="organization"
          required
          autoFocus
        />
        <Field
          id={countryId}
          label="Default phone country"
          hint="Phone numbers typed without a +country code are read as this country's."
          error={errors.defaultCountry}
        >
          <CountrySelect
            id={countryId}
            value={values.defaultCountry}
            onChange={set("defaultCountry")}
            invalid={Boolean(errors.defaultCountry)}
            describedBy={describedBy(countryId, errors.defaultCountry, true)}
          />
        </Field>
      </fieldset>
      <fieldset className="setup-part">
        <legend>You, the first administrator</legend>
        <TextField
          id={`${id}-name`}
          label="Your name"
          value={values.name}
          onChange={set("name")}
          error={errors.name}
          autoComplete="name"
          required
        />
        <TextField
          id={`${id}-email`}
          label="Your email"
          type="email"
          hint="You sign in with it."
          value={values.email}
          onChange={set("email")}
          error={errors.email}
          autoComplete="username"
          required
        />
        <NewPasswordField
          label="Choose a password"
          value={values.password}
          onChange={set("password")}
          email={values.email}
          error={errors.password}
        />
      </fieldset>
      <button type="submit" className="button button-primary button-block" disabled={fetching}>
        {fetching ? "Setting up…" : "Create my account and sign in"}
      </button>
    </form>
  );
}
