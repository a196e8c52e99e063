import { useEffect, useRef } from "react";
import { formatDateTime } from "../lib/format";
import type { MessageFieldsFragment } from "./messages.generated";
import "./messages.css";

/**
 * A conversation between the staff and one contact, oldest at the top and the newest at
 * the bottom (where the reply box is). `reader` is the side reading it: its own messages
 * say whether the other side has read them; `newIds` are the other side's messages that
 * were unread when the reader opened the conversation.
 */
export function Conversation({
  messages,
  reader,
  newIds,
  hasEarlier,
  loadingEarlier,
  onEarlier,
  empty,
}: {
  messages: readonly MessageFieldsFragment[];
  reader: "staff" | "contact";
  newIds: ReadonlySet<string>;
  hasEarlier: boolean;
  loadingEarlier: boolean;
  onEarlier: () => void;
  empty: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const newest = messages.at(-1)?.id;
  // A new message (sent or received) scrolls into view; earlier ones loaded above do not.
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [newest]);

  if (messages.length === 0) return <p className="subtle conversation-empty">{empty}</p>;
  return (
    <div className="conversation" ref={box}>
      {hasEarlier && (
        <button type="button" className="link-button conversation-earlier" disabled={loadingEarlier} onClick={onEarlier}>
          {loadingEarlier ? "Loading…" : "Show earlier messages"}
        </button>
      )}
      <ol className="conversation-list" aria-label="Messages, oldest first">
        {messages.map((message) => {
          const mine = message.fromStaff === (reader === "staff");
          return (
            <li key={message.id} className={`chat-message ${mine ? "chat-mine" : "chat-theirs"}`}>
              <p className="chat-head">
                <strong>{message.author}</strong>
                <span className="subtle"> · {formatDateTime(message.sentAt)}</span>
                {newIds.has(message.id) && <span className="badge badge-info chat-new">New</span>}
              </p>
              <p className="chat-body">{message.body}</p>
              {mine && (
                <p className="chat-read subtle">
                  {message.readAt ? `Read ${formatDateTime(message.readAt)}` : "Not read yet"}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
