import { useState, type FormEvent } from "react";
import { Navigate, useLocation } from "react-router";
import { useMutation } from "urql";
import { graphql } from "../gql";
import { useAuth } from "../lib/auth";

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      user {
        id
        email
        name
        role
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

export function SignIn() {
  const auth = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, login] = useMutation(LoginMutation);
  const from = (location.state as { from?: string } | null)?.from ?? "/contacts";

  if (auth.signedIn) return <Navigate to={from.startsWith("/sign-in") ? "/contacts" : from} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await login({ input: { email, password } });
    const payload = result.data?.login;
    if (payload?.user) {
      auth.signedInAs(payload.user);
    } else if (payload?.errors.length) {
      setError(payload.errors.map((e) => e.message).join(" "));
    } else {
      setError("Could not reach the server. Check your connection and try again.");
    }
  }

  return (
    <main className="signin" id="main">
      <form className="signin-card" onSubmit={submit} noValidate aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in</h1>
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
          <label htmlFor="signin-email">Email</label>
          <input
            id="signin-email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </div>
        <div className="field">
          <label htmlFor="signin-password">Password</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary button-block" disabled={fetching}>
          {fetching ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
