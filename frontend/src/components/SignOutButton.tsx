import { useMutation } from "urql";
import { LogoutDocument } from "../lib/auth.generated";
import { useAuth } from "../lib/auth";

/** Ends the session, staff's or a portal contact's. */
export function SignOutButton() {
  const auth = useAuth();
  const [{ fetching }, logout] = useMutation(LogoutDocument);
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={fetching}
      onClick={async () => {
        await logout({});
        auth.signedOut(false);
      }}
    >
      Sign out
    </button>
  );
}
