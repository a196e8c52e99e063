import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { collectErrors, formatDateTime, type FieldErrors } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { useLinkToken } from "../portal/linkToken";
import { NewPasswordField } from "../portal/PasswordRules";
import { CheckingLink, LinkGone, StaffAuthPage, useStaffOrganisation } from "./StaffAuthPage";
import { AcceptStaffInvitationDocument, StaffInvitationDocument } from "./staff.generated";

function InvitationGone() {
  return (
    <LinkGone title="This invitation link no longer works" links={[{ to: "/sign-in", label: "Sign in" }]}>
      <p>
        An invitation link works once, until it expires, and a newer invitation replaces it. Use the link in
        the most recent email, or ask an administrator to invite you again. Already joined? Sign in.
      </p>
    </LinkGone>
  );
}

/** The page behind a colleague's invitation: choose a name and a password, and be signed in. */
export function Join() {
  const token = useLinkToken();
  const [{ data, error }] = useQuery({
    query: StaffInvitationDocument,
    variables: { token },
    requestPolicy: "network-only",
  });
  const [linkGone, setLinkGone] = useState(false);
  const invitation = data?.staffInvitation;

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
  } else if (!invitation || linkGone) {
    content = <InvitationGone />;
  } else {
    content = (
      <JoinForm
        token={token}
        email={invitation.email}
        expiresAt={invitation.expiresAt}
        onLinkGone={() => setLinkGone(true)}
      />
    );
  }
  return <StaffAuthPage title="Join">{content}</StaffAuthPage>;
}

function JoinForm({ token, email, expiresAt, onLinkGone }: {
  token: string;
  email: string;
  expiresAt: string;
  onLinkGone: () => void;
}) {
  const id = useId();
  const auth = useAuth();
  const navigate = useNavigate();
  const organisation = useStaffOrganisation();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [{ fetching }, accept] = useMutation(AcceptStaffInvitationDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const payload = (await accept({ input: { token, name, password } })).data?.acceptStaffInvitation;
    if (payload?.user) {
      auth.signedInAs(payload.user);
      navigate("/home", { replace: true, state: { notice: `Welcome to ${organisation || "the CRM"}!` } });
      return;
    }
    if (!payload) {
      setGeneral([OFFLINE]);
      return;
    }
    const found = collectErrors(payload.errors, (key) => ["name", "password", "token"].includes(key));
    if (found.fields.token) onLinkGone();
    setErrors(found.fields);
    setGeneral(found.general);
  }

  return (
    <form className="signin-card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Join {organisation || "the CRM"}</h1>
      <p>
        You were invited as <strong className="join-email">{email}</strong>: you will sign in with this address.
        Choose your name and a password.
      </p>
      <p className="hint">This link works until {formatDateTime(expiresAt)}.</p>
      {general.length > 0 && (
        <p className="notice notice-error" role="alert">
          {general.join(" ")}
        </p>
      )}
      <TextField
        id={`${id}-name`}
        label="Your name"
        value={name}
        onChange={setName}
        error={errors.name}
        autoComplete="name"
        required
        autoFocus
      />
      <NewPasswordField
        label="Choose a password"
        value={password}
        onChange={setPassword}
        email={email}
        error={errors.password}
      />
      <button type="submit" className="button button-primary button-block" disabled={fetching}>
        {fetching ? "Joining…" : "Join and sign in"}
      </button>
    </form>
  );
}
