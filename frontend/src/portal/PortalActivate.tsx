import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { useAuth } from "../lib/auth";
import { errorKey } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { useLinkToken } from "./linkToken";
import { NewPasswordField, passwordAcceptable } from "./PasswordRules";
import { usePortalTitle } from "./PortalApp";
import { ActivatePortalAccountDocument, CheckInvitationDocument } from "./portal.generated";

export function LinkNoLongerValid({ kind }: { kind: "invitation" | "reset" }) {
  return (
    <div className="portal-card" role="alert">
      <h1>This link has expired or was replaced</h1>
      {kind === "invitation" ? (
        <p>
          Invitation links work once and only until they expire; a newer invitation replaces
          the earlier one. Use the link in the most recent email, or ask us to send a new
          invitation.
        </p>
      ) : (
        <p>Password reset links work once, for one hour. You can ask for a new one.</p>
      )}
      <p className="portal-links">
        {kind === "reset" && <Link to="/portal/forgot">Ask for a new link</Link>}
        <Link to="/portal/login">Sign in</Link>
      </p>
    </div>
  );
}

export function PortalActivate() {
  const token = useLinkToken();
  const [{ data, fetching, error }] = useQuery({
    query: CheckInvitationDocument,
    variables: { token },
    requestPolicy: "network-only",
  });
  usePortalTitle("Activate your account");
  const check = data?.portalInvitation;
  if (error && !data) {
    return (
      <div className="portal-card" role="alert">
        <h1>Something went wrong</h1>
        <p>Could not check the link. Check your connection and reload the page.</p>
      </div>
    );
  }
  if (fetching || !check) {
    return (
      <div className="state" role="status">
        <span className="spinner" aria-hidden="true" />
        Checking your link…
      </div>
    );
  }
  if (!check.valid) return <LinkNoLongerValid kind="invitation" />;
  return (
    <ActivateForm
      token={token}
      firstName={check.firstName ?? null}
      email={check.email ?? null}
      organisation={check.organisationName}
    />
  );
}

function ActivateForm({
  token,
  firstName,
  email,
  organisation,
}: {
  token: string;
  firstName: string | null;
  email: string | null;
  organisation: string;
}) {
  const auth = useAuth();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [linkGone, setLinkGone] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const [{ fetching }, activate] = useMutation(ActivatePortalAccountDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setGeneral(null);
    if (!passwordAcceptable(password, email)) {
      setError("Choose a password that meets the rules below the field.");
      return;
    }
    setError(undefined);
    const result = await activate({ input: { token, password } });
    const payload = result.data?.activatePortalAccount;
    if (payload?.contact && payload.errors.length === 0) {
      auth.portalSignedInAs({ id: payload.contact.id, email: payload.contact.email ?? email ?? "" });
      navigate("/portal", { replace: true, state: { notice: "Your account is ready. Welcome!" } });
      return;
    }
    if (payload) {
      for (const e of payload.errors) {
        const key = errorKey(e.field);
        if (key === "token") setLinkGone(true);
        else if (key === "password") setError(e.message);
        else setGeneral(e.message);
      }
    } else {
      setGeneral(OFFLINE);
    }
  }

  if (linkGone) return <LinkNoLongerValid kind="invitation" />;
  return (
    <form className="portal-card" onSubmit={submit} noValidate aria-labelledby="activate-title">
      <h1 id="activate-title">{firstName ? `Welcome, ${firstName}` : "Welcome"}</h1>
      <p>
        Choose a password for your {organisation} client portal account
        {email && (
          <>
            {" "}
            (<strong>{email}</strong>)
          </>
        )}
        . You will sign in with your email address and this password.
      </p>
      {general && (
        <p className="notice notice-error" role="alert">
          {general}
        </p>
      )}
      <NewPasswordField
        label="Choose a password"
        value={password}
        onChange={setPassword}
        email={email}
        error={error}
        autoFocus
      />
      <button type="submit" className="button button-primary button-block" disabled={fetching}>
        {fetching ? "Activating…" : "Activate my account"}
      </button>
    </form>
  );
}
