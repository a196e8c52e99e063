import { Client, cacheExchange, fetchExchange, mapExchange } from "urql";

export const UNAUTHENTICATED = "UNAUTHENTICATED";

/** Every change that can alter what a list or a page shows. */
export const ALL_TYPENAMES = ["Contact", "Company", "Phone", "Group", "Segment", "Product"];

/** The query and mutation context that refreshes whatever a change may have altered. */
export const ALL_CONTEXT = { additionalTypenames: ALL_TYPENAMES };

export function makeClient(onUnauthenticated: () => void): Client {
  return new Client({
    url: "/graphql",
    // The server only accepts cookie-authenticated JSON POSTs (its CSRF rule).
    preferGetMethod: false,
    fetchOptions: () => ({
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
    }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === UNAUTHENTICATED)) {
            onUnauthenticated();
          }
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
  });
}
