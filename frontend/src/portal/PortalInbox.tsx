import { useCallback, useState } from "react";
import { useMutation, useQuery } from "urql";
import { formErrors } from "../components/dialogs";
import { NoticeBar, type Notice } from "../components/ui";
import { useRefreshEvery } from "../lib/useRefreshEvery";
import { Conversation } from "../messages/Conversation";
import { oldestFirst, useMessageCount, useReadOnOpen } from "../messages/useConversation";
import { MessageComposer } from "../messages/MessageComposer";
import { useOrganisationName, usePortalTitle } from "./PortalApp";
import { INBOX_CONTEXT } from "./PortalNav";
import { isViewingAs } from "./ViewAs";
import { MarkMessagesReadDocument, MyMessagesDocument, SendMyMessageDocument } from "./inbox.generated";

/** The contact's secure messages with the staff: read (and marked read) here, answered here. */
export function PortalInbox() {
  usePortalTitle("Inbox");
  const organisation = useOrganisationName() || "us";
  const { first, more } = useMessageCount();
  const [{ data, fetching }, refetch] = useQuery({
    query: MyMessagesDocument,
    variables: { first },
    context: INBOX_CONTEXT,
  });
  const [, send] = useMutation(SendMyMessageDocument);
  const [, markRead] = useMutation(MarkMessagesReadDocument);
  const [notice, setNotice] = useState<Notice | null>(null);
  const messages = oldestFirst(data?.myMessages);
  // An administrator viewing the portal as the contact leaves the messages unread.
  const newIds = useReadOnOpen(
    messages,
    "contact",
    useCallback(
      (upTo: string) => {
        if (!isViewingAs()) void markRead({ input: { upTo } }, INBOX_CONTEXT);
      },
      [markRead],
    ),
  );
  useRefreshEvery(30, useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]));

  async function reply(body: string) {
    setNotice(null);
    const result = await send({ input: { body } }, INBOX_CONTEXT);
    const payload = result.data?.sendMyMessage;
    if (payload?.message && payload.errors.length === 0) {
      setNotice({ tone: "ok", text: `Sent to ${organisation}.` });
      return null;
    }
    return formErrors(result, payload, ["body"], "Could not send your message.");
  }

  return (
    <div className="portal-card portal-inbox">
      <h1>Inbox</h1>
      <p className="subtle">
        Secure messages between you and {organisation}. They are kept here, never sent by email: we email
        you only to say that a message waits.
      </p>
      {data ? (
        <Conversation
          messages={messages}
          reader="contact"
          newIds={newIds}
          hasEarlier={data.myMessages.pageInfo.hasNextPage}
          loadingEarlier={fetching}
          onEarlier={more}
          empty="No messages yet."
        />
      ) : (
        <p className="subtle">{fetching ? "Loading messages…" : "Your messages could not be loaded."}</p>
      )}
      <NoticeBar notice={notice} />
      <MessageComposer label={`Write to ${organisation}`} onSend={reply} />
    </div>
  );
}
