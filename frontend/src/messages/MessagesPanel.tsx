import { useCallback, useState } from "react";
import { useLocation } from "react-router";
import { useMutation, useQuery } from "urql";
import { formErrors } from "../components/dialogs";
import { NoticeBar, type Notice } from "../components/ui";
import type { PortalStatus } from "../gql/schema";
import { useRefreshEvery } from "../lib/useRefreshEvery";
import { Conversation } from "./Conversation";
import { oldestFirst, useMessageCount, useReadOnOpen } from "./useConversation";
import { MessageComposer } from "./MessageComposer";
import {
  ContactMessagesDocument,
  MarkContactMessagesReadDocument,
  SendMessageDocument,
} from "./messages.generated";
import { messageRefusal } from "./refusal";

const context = { additionalTypenames: ["Message"] };

type Recipient = {
  id: string;
  firstName: string;
  fullName: string;
  email?: string | null;
  archived: boolean;
  canSendMessage: boolean;
  portal: { status: PortalStatus; canSendInvite: boolean };
};

/**
 * The contact page's secure messages: the conversation (newest at the bottom), marked read
 * as it opens, and a box to write to the contact, or why they cannot be written to. A new
 * `focusKey` (the options menu's Message) puts the focus in the box; so does #messages.
 */
export function MessagesPanel({ contact, focusKey = 0 }: { contact: Recipient; focusKey?: number }) {
  const location = useLocation();
  const { first, more } = useMessageCount();
  const [{ data, fetching }, refetch] = useQuery({
    query: ContactMessagesDocument,
    variables: { id: contact.id, first },
    context,
  });
  const [, send] = useMutation(SendMessageDocument);
  const [, markRead] = useMutation(MarkContactMessagesReadDocument);
  const [notice, setNotice] = useState<Notice | null>(null);
  const messages = oldestFirst(data?.contact?.messages);
  const refusal = messageRefusal(contact);

  const markShownRead = useCallback(
    (upTo: string) => void markRead({ input: { contactId: contact.id, upTo } }, context),
    [markRead, contact.id],
  );
  const newIds = useReadOnOpen(messages, "staff", markShownRead);
  useRefreshEvery(30, useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]));

  // Opened at #messages (the contacts list's options menu): the box takes the focus.
  const [hashFocus] = useState(location.hash === "#messages" ? 1 : 0);

  async function sendBody(body: string) {
    setNotice(null);
    const result = await send({ input: { contactId: contact.id, body } }, context);
    const payload = result.data?.sendMessage;
    if (payload?.message && payload.errors.length === 0) {
      setNotice({ tone: "ok", text: sentNotice(contact, payload.notified) });
      return null;
    }
    return formErrors(result, payload, ["body"], "Could not send the message.");
  }

  return (
    <section className="card wide-region messages-panel" id="messages" aria-labelledby="contact-messages">
      <h2 id="contact-messages">Messages</h2>
      {data ? (
        <Conversation
          messages={messages}
          reader="staff"
          newIds={newIds}
          hasEarlier={Boolean(data.contact?.messages.pageInfo.hasNextPage)}
          loadingEarlier={fetching}
          onEarlier={more}
          empty={`No messages with ${contact.fullName} yet.`}
        />
      ) : (
        <p className="subtle">{fetching ? "Loading messages…" : "The messages could not be loaded."}</p>
      )}
      <NoticeBar notice={notice} />
      {refusal ? (
        <p className="hint messages-refusal">
          {contact.fullName} cannot be sent secure messages: {refusal.charAt(0).toLowerCase() + refusal.slice(1)}.
          Messages are read in the client portal, so only contacts invited to it can get them.
        </p>
      ) : (
        <MessageComposer
          label={`Message to ${contact.fullName}`}
          onSend={sendBody}
          focusKey={focusKey + hashFocus}
        />
      )}
    </section>
  );
}

/** What the staff are told after a send: whether this message emailed the contact (the first
 * of a burst does; those within the minute after it do not, nor to a contact without email). */
function sentNotice(contact: Recipient, notified: boolean): string {
  const name = contact.firstName || contact.fullName;
  if (notified) return `Sent — ${name} gets an email that a message waits.`;
  if (!contact.email) return `Sent — ${name} has no email address to be told by; they see it in the portal.`;
  return `Sent — no new email: ${name} was emailed about a message less than a minute ago.`;
}
