import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useAuth } from "../lib/auth";
import { OFFLINE } from "../lib/problems";

/**
 * Email and password, staff's and the portal's alike. `signIn` resolves to what went
 * wrong, or to null once signed in; "session expired" shows until the first attempt.
 */
export function SignInForm({
  className,
  signIn,
  footer,
}: {
  className: string;
  signIn: (email: string, password: string) => Promise<string | null>;
  footer?: ReactNode;
}) {
  const id = useId();
  const auth = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    const problem = await signIn(email, password);
    setBusy(false);
    setError(problem);
  }

  return (
    <form className={className} onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Sign in</h1>
      {auth.expired && !error && (
        <p className="notice notice-warning" role="status">
          Your session has expired, sign in again.
        </p>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {footer}
    </form>
  );
}

/** A sign-in mutation's answer as SignInForm wants it: null when a user came back. */
export function signInProblem(
  payload: { user: unknown; errors: readonly { message: string }[] } | null | undefined,
): string | null {
  if (payload?.user) return null;
  return payload?.errors.length ? payload.errors.map((e) => e.message).join(" ") : OFFLINE;
}
