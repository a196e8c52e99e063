import { Link, Navigate, useLocation } from "react-router";
import { useMutation, useQuery } from "urql";
import { Loading } from "../components/Loading";
import { SignInForm, signInProblem } from "../components/SignInForm";
import { useAuth } from "../lib/auth";
import { StaffAuthPage } from "./StaffAuthPage";
import { LoginDocument, SignInPageDocument } from "./staff.generated";

export function SignIn() {
  const auth = useAuth();
  const location = useLocation();
  const [, login] = useMutation(LoginDocument);
  // Asked each time: the first administrator may have been created meanwhile.
  const [{ data, fetching }] = useQuery({ query: SignInPageDocument, requestPolicy: "cache-and-network" });
  const from = (location.state as { from?: string } | null)?.from ?? "/home";

  if (auth.signedIn) return <Navigate to={from.startsWith("/sign-in") ? "/home" : from} replace />;

  return (
    <StaffAuthPage title="Sign in">
      {!data && fetching ? (
        <div className="signin-card">
          <Loading />
        </div>
      ) : data?.firstRun.needed ? (
        <FirstRunNeeded />
      ) : (
        <SignInForm
          className="signin-card"
          signIn={async (email, password) => {
            const payload = (await login({ input: { email, password } })).data?.login;
            if (payload?.user) auth.signedInAs(payload.user);
            return signInProblem(payload);
          }}
          footer={
            <p className="signin-links">
              <Link to="/forgot-password">Forgot your password?</Link>
            </p>
          }
        />
      )}
    </StaffAuthPage>
  );
}

/** Nobody has an account yet: the first administrator comes from the link serve printed. */
function FirstRunNeeded() {
  return (
    <div className="signin-card" role="status">
      <h1>Welcome</h1>
      <p>
        Nobody can sign in yet: the first administrator is created from the link that{" "}
        <code>crm serve</code> printed in its terminal (restart it for a new one).
      </p>
      <p className="hint">
        The link looks like <code>http://…/setup?token=…</code> and works once, for a day.
      </p>
    </div>
  );
}
