import { useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router";
import { useMutation } from "urql";
import { SignInForm, signInProblem } from "../components/SignInForm";
import { useAuth } from "../lib/auth";
import { errorKey } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { useLinkToken } from "./linkToken";
import { NewPasswordField, passwordAcceptable } from "./PasswordRules";
import { LinkNoLongerValid } from "./PortalActivate";
import { usePortalTitle } from "./PortalApp";
import {
  PortalLoginDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
} from "./portal.generated";

export function PortalLogin() {
  usePortalTitle("Sign in");
  const auth = useAuth();
  const [, login] = useMutation(PortalLoginDocument);
  const from = (useLocation().state as { from?: string } | null)?.from;

  if (auth.portalUser) return <Navigate to={from?.startsWith("/portal/") ? from : "/portal"} replace />;

  return (
    <SignInForm
      className="portal-card portal-narrow"
      signIn={async (email, password) => {
        const payload = (await login({ input: { email, password } })).data?.portalLogin;
        if (payload?.user) auth.portalSignedInAs(payload.user);
        return signInProblem(payload);
      }}
      footer={
        <p className="portal-links">
          <Link to="/portal/forgot">Forgot your password?</Link>
        </p>
      }
    />
  );
}

export function PortalForgot() {
  usePortalTitle("Forgot password");
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, request] = useMutation(RequestPasswordResetDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!email.trim()) {
      setError("Enter the email address you sign in with.");
      return;
    }
    const result = await request({ input: { email: email.trim() } });
    if (result.data?.requestPasswordReset) setSent(email.trim());
    else setError(OFFLINE);
  }

  if (sent) {
    return (
      <div className="portal-card portal-narrow" role="status">
        <h1>Check your email</h1>
        <p>
          If an account exists for <strong>{sent}</strong>, we sent a link to choose a new
          password. It works once, for one hour.
        </p>
        <p>Nothing arrived? Check your spam folder, or try again in a minute.</p>
        <p className="portal-links">
          <Link to="/portal/login">Back to sign in</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="portal-card portal-narrow" onSubmit={submit} noValidate aria-labelledby="pforgot-title">
      <h1 id="pforgot-title">Forgot your password?</h1>
      <p>Enter the email address you sign in with and we will send you a link to choose a new password.</p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="pforgot-email">Email</label>
        <input
          id="pforgot-email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus
        />
      </div>
      <button type="submit" className="button button-primary button-block" disabled={fetching}>
        {fetching ? "Sending…" : "Send me a link"}
      </button>
      <p className="portal-links">
        <Link to="/portal/login">Back to sign in</Link>
      </p>
    </form>
  );
}

export function PortalReset() {
  usePortalTitle("Choose a new password");
  const auth = useAuth();
  const navigate = useNavigate();
  const token = useLinkToken();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string | null>(null);
  const [linkGone, setLinkGone] = useState(!token);
  const [{ fetching }, reset] = useMutation(ResetPasswordDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setGeneral(null);
    if (!passwordAcceptable(password, null)) {
      setError("Choose a password that meets the rules below the field.");
      return;
    }
    setError(undefined);
    const result = await reset({ input: { token, password } });
    const payload = result.data?.resetPassword;
    if (payload?.contact && payload.errors.length === 0) {
      auth.portalSignedInAs({ id: payload.contact.id, email: payload.contact.email ?? "" });
      navigate("/portal", { replace: true, state: { notice: "Your password was changed." } });
      return;
    }
    if (!payload) {
      setGeneral(OFFLINE);
      return;
    }
    for (const e of payload.errors) {
      const key = errorKey(e.field);
      if (key === "token") setLinkGone(true);
      else if (key === "password") setError(e.message);
      else setGeneral(e.message);
    }
  }

  if (linkGone) return <LinkNoLongerValid kind="reset" />;
  return (
    <form className="portal-card portal-narrow" onSubmit={submit} noValidate aria-labelledby="preset-title">
      <h1 id="preset-title">Choose a new password</h1>
      {general && (
        <p className="notice notice-error" role="alert">
          {general}
        </p>
      )}
      <NewPasswordField
        label="New password"
        value={password}
        onChange={setPassword}
        error={error}
        autoFocus
      />
      <button type="submit" className="button button-primary button-block" disabled={fetching}>
        {fetching ? "Saving…" : "Save and sign in"}
      </button>
    </form>
  );
}
