import { useEffect, useState } from "react";
import type { MessageFieldsFragment } from "./messages.generated";

const PAGE = 50;
const MOST = 500;

/** How many of the newest messages to ask for: a page, and a page more each time. */
export function useMessageCount() {
  const [first, setFirst] = useState(PAGE);
  return { first, more: () => setFirst((count) => Math.min(count + PAGE, MOST)) };
}

/** A page of a conversation as the API gives it (newest first), oldest first for reading. */
export function oldestFirst(page: { edges: readonly { node: MessageFieldsFragment }[] } | undefined) {
  return (page?.edges ?? []).map((edge) => edge.node).reverse();
}

/**
 * Marks the other side's messages read once they are on screen (`markRead(upTo)` with the
 * newest of them), and returns the ids of those that were new, so they stay marked "New"
 * after the list reloads read.
 */
export function useReadOnOpen(
  messages: readonly MessageFieldsFragment[],
  reader: "staff" | "contact",
  markRead: (upTo: string) => void,
): ReadonlySet<string> {
  const unread = messages.filter((m) => m.fromStaff !== (reader === "staff") && !m.readAt);
  const newestUnread = unread.at(-1)?.id;
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(new Set());
  if (unread.some((m) => !newIds.has(m.id))) {
    setNewIds(new Set([...newIds, ...unread.map((m) => m.id)]));
  }
  useEffect(() => {
    if (newestUnread) markRead(newestUnread);
  }, [newestUnread, markRead]);
  return newIds;
}
