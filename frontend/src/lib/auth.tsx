import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Provider, useQuery } from "urql";
import type { StaffRole } from "../gql/schema";
import { MeDocument } from "./auth.generated";
import { makeClient } from "./client";

export type StaffUserInfo = { id: string; email: string; name: string; role?: StaffRole };
export type PortalUserInfo = { id: string; email: string };

export type AuthState = {
  /** A staff member signed in on this page load or earlier; null while unknown. */
  signedIn: boolean | null;
  /** The server said the session is gone while the app was in use. */
  expired: boolean;
  user: StaffUserInfo | null;
  /** A contact signed in to the client portal (never at the same time as `user`). */
  portalUser: PortalUserInfo | null;
  signedInAs: (user: StaffUserInfo) => void;
  portalSignedInAs: (user: PortalUserInfo) => void;
  signedOut: (expired?: boolean) => void;
};

const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

type Viewer =
  | { kind: "staff"; user: StaffUserInfo }
  | { kind: "portal"; user: PortalUserInfo }
  | null;

type Session = { generation: number; expired: boolean; viewer: Viewer | undefined };

/**
 * Owns the GraphQL client. Signing in or out (or the session expiring) builds a fresh
 * client, so nothing one session cached leaks into the next.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({
    generation: 0,
    expired: false,
    viewer: undefined,
  });

  const signedOut = useCallback((expired = false) => {
    setSession((s) =>
      s.viewer === null && s.expired === expired
        ? s
        : { generation: s.generation + 1, expired, viewer: null },
    );
  }, []);

  const signedInAs = useCallback((user: StaffUserInfo) => {
    setSession((s) => ({ generation: s.generation + 1, expired: false, viewer: { kind: "staff", user } }));
  }, []);

  const portalSignedInAs = useCallback((user: PortalUserInfo) => {
    setSession((s) => ({ generation: s.generation + 1, expired: false, viewer: { kind: "portal", user } }));
  }, []);

  const generation = session.generation;
  const client = useMemo(
    () =>
      makeClient(() => {
        // Only the client of the current session may end it.
        setSession((s) =>
          s.generation === generation && s.viewer !== null
            ? { generation: s.generation + 1, expired: true, viewer: null }
            : s,
        );
      }),
    [generation],
  );

  return (
    <Provider value={client}>
      <SessionLoader
        session={session}
        signedInAs={signedInAs}
        portalSignedInAs={portalSignedInAs}
        signedOut={signedOut}
      >
        {children}
      </SessionLoader>
    </Provider>
  );
}

function SessionLoader({
  session,
  signedInAs,
  portalSignedInAs,
  signedOut,
  children,
}: {
  session: Session;
  signedInAs: AuthState["signedInAs"];
  portalSignedInAs: AuthState["portalSignedInAs"];
  signedOut: AuthState["signedOut"];
  children: ReactNode;
}) {
  // Asked once per page load: is there a session cookie already, and whose?
  const [{ data, fetching, error }] = useQuery({
    query: MeDocument,
    pause: session.viewer !== undefined,
  });
  const loaded = useMemo<Viewer | undefined>(() => {
    if (fetching) return undefined;
    const me = data?.me;
    if (me?.__typename === "StaffUser") {
      return { kind: "staff", user: { id: me.id, email: me.email, name: me.name, role: me.role } };
    }
    if (me?.__typename === "PortalUser") return { kind: "portal", user: { id: me.id, email: me.email } };
    return error || data ? null : undefined;
  }, [data, error, fetching]);
  const viewer = session.viewer !== undefined ? session.viewer : loaded;
  const value = useMemo<AuthState>(
    () => ({
      signedIn: viewer === undefined ? null : viewer?.kind === "staff",
      expired: session.expired,
      user: viewer?.kind === "staff" ? viewer.user : null,
      portalUser: viewer?.kind === "portal" ? viewer.user : null,
      signedInAs,
      portalSignedInAs,
      signedOut,
    }),
    [viewer, session.expired, signedInAs, portalSignedInAs, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
