import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";
import { useAuth } from "../lib/auth";
import { READ_ONLY_REFUSAL, VIEW_AS_KEY } from "../lib/client";
import { useLinkToken } from "./linkToken";
import { usePortalTitle } from "./PortalApp";
import { EndImpersonationDocument, StartImpersonationDocument, ViewingAsDocument } from "./impersonation.generated";
import "./view-as.css";

/** Whether this tab is an administrator's read-only view of the portal as a contact. */
export function isViewingAs(): boolean {
  try {
    return sessionStorage.getItem(VIEW_AS_KEY) !== null;
  } catch {
    return false;
  }
}

function forgetViewingAs() {
  try {
    sessionStorage.removeItem(VIEW_AS_KEY);
  } catch {
    // nothing was stored
  }
}

/**
 * /portal/view-as: with `?token=` (an impersonatePortalUser link) it opens the view and goes
 * to the portal; without, it says the view is over (left, expired, or replaced by a newer one).
 */
export function PortalViewAs() {
  usePortalTitle("View the portal as a contact");
  const token = useLinkToken();
  const auth = useAuth();
  const navigate = useNavigate();
  const [, start] = useMutation(StartImpersonationDocument);
  const [problem, setProblem] = useState<string | null>(token ? null : "ended");
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    forgetViewingAs(); // a link pasted into an older view's tab opens as the staff, anew
    void start({ input: { token } }).then((result) => {
      const user = result.data?.startImpersonation.user;
      if (!user) {
        setProblem(result.data?.startImpersonation.errors[0]?.message ?? "The portal could not be opened.");
        return;
      }
      sessionStorage.setItem(VIEW_AS_KEY, user.contact.id);
      auth.portalSignedInAs({ id: user.id, email: user.email });
      navigate("/portal", { replace: true });
    });
  }, [token, start, auth, navigate]);

  useEffect(() => {
    if (problem === "ended") forgetViewingAs();
  }, [problem]);

  if (problem === null) return <p className="portal-card">Opening the portal as the contact…</p>;
  return (
    <div className="portal-card" role="alert">
      {problem === "ended" ? (
        <>
          <h1>You are no longer viewing the portal as this contact</h1>
          <p>The view was left, ran out after an hour, or was replaced by a newer one. You can close this tab.</p>
        </>
      ) : (
        <>
          <h1>This link has expired or was used</h1>
          <p>{problem}</p>
        </>
      )}
      <p className="portal-links">
        <Link to="/">Back to the CRM</Link>
      </p>
    </div>
  );
}

/** At the top of every portal page in a view-as tab: who, read-only, and the way out. */
export function ViewAsBanner() {
  const auth = useAuth();
  const navigate = useNavigate();
  const [{ data }] = useQuery({ query: ViewingAsDocument });
  const [{ fetching }, end] = useMutation(EndImpersonationDocument);
  const [refusal, setRefusal] = useState<string | null>(null);
  const name = data?.me?.__typename === "PortalUser" ? data.me.contact.fullName : "";

  useEffect(() => {
    const show = (event: Event) => setRefusal((event as CustomEvent<string>).detail);
    window.addEventListener(READ_ONLY_REFUSAL, show);
    return () => window.removeEventListener(READ_ONLY_REFUSAL, show);
  }, []);

  async function exit() {
    await end({});
    forgetViewingAs();
    window.close();
    // Still open (a tab the browser will not let a page close): say the view is over.
    auth.signedOut(false);
    navigate("/portal/view-as", { replace: true });
  }

  return (
    <div className="view-as-banner" role="region" aria-label="Viewing the portal as a contact">
      <p>
        You are viewing the portal as <strong>{name}</strong> <span className="view-as-note">(read-only)</span>
        {" — "}
        <button type="button" className="button button-small" disabled={fetching} onClick={() => void exit()}>
          Exit
        </button>
      </p>
      {refusal && (
        <p className="view-as-refusal" role="alert">
          Not saved. {refusal}
        </p>
      )}
    </div>
  );
}
