import { Navigate, useLocation } from "react-router";
import { useMutation } from "urql";
import { SignInForm, signInProblem } from "../components/SignInForm";
import { useAuth } from "../lib/auth";
import { LoginDocument } from "./staff.generated";

export function SignIn() {
  const auth = useAuth();
  const location = useLocation();
  const [, login] = useMutation(LoginDocument);
  const from = (location.state as { from?: string } | null)?.from ?? "/contacts";

  if (auth.signedIn) return <Navigate to={from.startsWith("/sign-in") ? "/contacts" : from} replace />;

  return (
    <main className="signin" id="main">
      <SignInForm
        className="signin-card"
        signIn={async (email, password) => {
          const payload = (await login({ input: { email, password } })).data?.login;
          if (payload?.user) auth.signedInAs(payload.user);
          return signInProblem(payload);
        }}
      />
    </main>
  );
}
