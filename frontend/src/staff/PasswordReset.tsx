import { useId, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation } from "urql";
import { TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { collectErrors, type FieldErrors } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { useLinkToken } from "../portal/linkToken";
import { NewPasswordField, passwordAcceptable } from "../portal/PasswordRules";
import { LinkGone, StaffAuthPage } from "./StaffAuthPage";
import { RequestStaffPasswordResetDocument, ResetStaffPasswordDocument } from "./staff.generated";

/** "Forgot your password?": the same answer whatever the address, so it tells nobody who has an account. */
export function ForgotPassword() {
  const id = useId();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [{ fetching }, request] = useMutation(RequestStaffPasswordResetDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setGeneral(null);
    if (!email.trim()) {
      setError("Enter the email address you sign in with.");
      return;
    }
    setError(undefined);
    const payload = (await request({ input: { email: email.trim() } })).data?.requestStaffPasswordReset;
    if (payload?.ok) setSent(true);
    else if (payload) setError(payload.errors.map((e) => e.message).join(" "));
    else setGeneral(OFFLINE);
  }

  return (
    <StaffAuthPage title="Forgot your password?">
      {sent ? (
        <div className="signin-card" role="status">
          <h1>Check your email</h1>
          <p>If an account uses this address, we have emailed a link; it works for an hour.</p>
          <p className="hint">Nothing arrived? Check your spam folder, or ask again in a minute.</p>
          <p className="signin-links">
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </div>
      ) : (
        <form className="signin-card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
          <h1 id={`${id}-title`}>Forgot your password?</h1>
          <p>Enter the email address you sign in with: we will email you a link to choose a new password.</p>
          {general && (
            <p className="notice notice-error" role="alert">
              {general}
            </p>
          )}
          <TextField
            id={`${id}-email`}
            label="Email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={error}
            autoFocus
          />
          <button type="submit" className="button button-primary button-block" disabled={fetching}>
            {fetching ? "Sending…" : "Email me a link"}
          </button>
          <p className="signin-links">
            <Link to="/sign-in">Back to sign in</Link>
          </p>
        </form>
      )}
    </StaffAuthPage>
  );
}

/** The page behind a reset link: a new password, twice; saving it signs in. */
export function ResetPassword() {
  const id = useId();
  const auth = useAuth();
  const navigate = useNavigate();
  const token = useLinkToken();
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [linkGone, setLinkGone] = useState(!token);
  const [{ fetching }, reset] = useMutation(ResetStaffPasswordDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldErrors = {};
    if (!passwordAcceptable(password, null)) problems.password = "Choose a password that meets the rules below the field.";
    if (repeated !== password) problems.repeated = "The two passwords are not the same.";
    setErrors(problems);
    setGeneral([]);
    if (Object.keys(problems).length) return;
    const payload = (await reset({ input: { token, password } })).data?.resetStaffPassword;
    if (payload?.user) {
      auth.signedInAs(payload.user);
      navigate("/home", { replace: true, state: { notice: "Your password was changed." } });
      return;
    }
    if (!payload) {
      setGeneral([OFFLINE]);
      return;
    }
    const found = collectErrors(payload.errors, (key) => key === "password" || key === "token");
    if (found.fields.token) setLinkGone(true);
    setErrors(found.fields);
    setGeneral(found.general);
  }

  return (
    <StaffAuthPage title="Choose a new password">
      {linkGone ? (
        <LinkGone
          title="This link no longer works"
          links={[
            { to: "/forgot-password", label: "Ask for a new link" },
            { to: "/sign-in", label: "Sign in" },
          ]}
        >
          <p>A password reset link works once, for an hour; a newer one replaces it.</p>
        </LinkGone>
      ) : (
        <form className="signin-card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
          <h1 id={`${id}-title`}>Choose a new password</h1>
          {general.length > 0 && (
            <p className="notice notice-error" role="alert">
              {general.join(" ")}
            </p>
          )}
          <NewPasswordField
            label="New password"
            value={password}
            onChange={setPassword}
            error={errors.password}
            autoFocus
          />
          <RepeatPasswordField id={`${id}-repeat`} value={repeated} onChange={setRepeated} error={errors.repeated} />
          <button type="submit" className="button button-primary button-block" disabled={fetching}>
            {fetching ? "Saving…" : "Save and sign in"}
          </button>
        </form>
      )}
    </StaffAuthPage>
  );
}

/** The new password again, so a typo does not lock its owner out. */
export function RepeatPasswordField({ id, value, onChange, error }: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>New password again</label>
      <input
        id={id}
        type="password"
        autoComplete="new-password"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
