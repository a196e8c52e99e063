import { useCallback } from "react";
import { NavLink } from "react-router";
import { useQuery } from "urql";
import { useRefreshEvery } from "../lib/useRefreshEvery";
import { MyUnreadMessageCountDocument } from "./inbox.generated";
import "./portal-nav.css";

// Sending and reading messages return these: the count follows both.
export const INBOX_CONTEXT = { additionalTypenames: ["Message", "MarkMessagesReadPayload"] };

/** The signed-in contact's pages: their details, and the inbox with what is unread. */
export function PortalNav() {
  const [{ data }, refetch] = useQuery({ query: MyUnreadMessageCountDocument, context: INBOX_CONTEXT });
  useRefreshEvery(60, useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]));
  const unread = data?.myUnreadMessageCount ?? 0;
  return (
    <nav className="portal-nav" aria-label="Portal">
      <NavLink to="/portal" end className="portal-nav-link">
        Your details
      </NavLink>
      <NavLink to="/portal/messages" className="portal-nav-link">
        Inbox
        {unread > 0 && " "}
        {unread > 0 && (
          <span className="nav-badge">
            {unread}
            <span className="visually-hidden"> unread</span>
          </span>
        )}
      </NavLink>
    </nav>
  );
}
