import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Provider, useQuery } from "urql";
import { graphql } from "../gql";
import { makeClient } from "./client";

export const MeQuery = graphql(`
  query Me {
    me {
      __typename
      ... on StaffUser {
        id
        email
        name
        role
      }
    }
  }
`);

export type AuthState = {
  /** Someone signed in on this page load or earlier. */
  signedIn: boolean | null;
  /** The server said the session is gone while the app was in use. */
  expired: boolean;
  user: { id: string; email: string; name: string } | null;
  signedInAs: (user: { id: string; email: string; name: string }) => void;
  signedOut: (expired?: boolean) => void;
};

const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}

type Session = { generation: number; expired: boolean; user: AuthState["user"] | undefined };

/**
 * Owns the GraphQL client. Signing in or out (or the session expiring) builds a fresh
 * client, so nothing one session cached leaks into the next.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({
    generation: 0,
    expired: false,
    user: undefined,
  });

  const signedOut = useCallback((expired = false) => {
    setSession((s) =>
      s.user === null && s.expired === expired
        ? s
        : { generation: s.generation + 1, expired, user: null },
    );
  }, []);

  const signedInAs = useCallback((user: NonNullable<AuthState["user"]>) => {
    setSession((s) => ({ generation: s.generation + 1, expired: false, user }));
  }, []);

  const generation = session.generation;
  const client = useMemo(
    () =>
      makeClient(() => {
        // Only the client of the current session may end it.
        setSession((s) =>
          s.generation === generation && s.user !== null
            ? { generation: s.generation + 1, expired: true, user: null }
            : s,
        );
      }),
    [generation],
  );

  return (
    <Provider value={client}>
      <SessionLoader session={session} signedInAs={signedInAs} signedOut={signedOut}>
        {children}
      </SessionLoader>
    </Provider>
  );
}

function SessionLoader({
  session,
  signedInAs,
  signedOut,
  children,
}: {
  session: Session;
  signedInAs: AuthState["signedInAs"];
  signedOut: AuthState["signedOut"];
  children: ReactNode;
}) {
  // Asked once per page load: is there a session cookie already?
  const [{ data, fetching, error }] = useQuery({
    query: MeQuery,
    pause: session.user !== undefined,
  });
  const loaded = useMemo<AuthState["user"] | undefined>(() => {
    if (fetching) return undefined;
    const me = data?.me;
    if (me && me.__typename === "StaffUser") return { id: me.id, email: me.email, name: me.name };
    return error || data ? null : undefined;
  }, [data, error, fetching]);
  const user = session.user !== undefined ? session.user : loaded;
  const value = useMemo<AuthState>(
    () => ({
      signedIn: user === undefined ? null : user !== null,
      expired: session.expired,
      user: user ?? null,
      signedInAs,
      signedOut,
    }),
    [user, session.expired, signedInAs, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
