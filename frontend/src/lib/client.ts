import { Client, cacheExchange, fetchExchange, mapExchange } from "urql";

export const UNAUTHENTICATED = "UNAUTHENTICATED";

/** Every change that can alter what a list or a page shows. */
export const ALL_TYPENAMES = ["Contact", "Company", "Phone", "Group", "Segment", "Product"];

/** The query and mutation context that refreshes whatever a change may have altered. */
export const ALL_CONTEXT = { additionalTypenames: ALL_TYPENAMES };

/**
 * Set (to the contact's id) in a tab an administrator opened to view the portal as a
 * contact: that tab's requests then act in that read-only view, other tabs as the staff.
 */
export const VIEW_AS_KEY = "crm.viewAs";

/** Dispatched on `window`, with the server's message, when a view-as tab tries a change. */
export const READ_ONLY_REFUSAL = "crm:read-only-refusal";

export function viewAsHeaders(): Record<string, string> {
  try {
    const contactId = sessionStorage.getItem(VIEW_AS_KEY);
    return contactId ? { "X-CRM-View-As": contactId } : {};
  } catch {
    return {}; // storage refused (privacy settings): never a view-as tab
  }
}

export function makeClient(onUnauthenticated: () => void): Client {
  return new Client({
    url: "/graphql",
    // The server only accepts cookie-authenticated JSON POSTs (its CSRF rule).
    preferGetMethod: false,
    fetchOptions: () => ({
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...viewAsHeaders() },
    }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === UNAUTHENTICATED)) {
            onUnauthenticated();
          }
          const refused = error.graphQLErrors.find((e) => e.extensions?.code === "FORBIDDEN");
          if (refused && viewAsHeaders()["X-CRM-View-As"]) {
            window.dispatchEvent(new CustomEvent(READ_ONLY_REFUSAL, { detail: refused.message }));
          }
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
  });
}
