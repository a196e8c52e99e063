import * as Dialog from "@radix-ui/react-dialog";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Loading } from "../components/Loading";
import { MESSAGE_STATUSES, formatDateTime, plural } from "../lib/format";
import { mutationProblem } from "../lib/problems";
import {
  OutboxMessageBodyDocument,
  RetryOutboxMessageDocument,
  type OutboxMessageFieldsFragment,
} from "./mail.generated";

const context = { additionalTypenames: ["OutboxMessage"] };

/** When the message was sent; a LOGGED one never was. */
export function sentText(message: Pick<OutboxMessageFieldsFragment, "status" | "sentAt">): string {
  return message.status === "LOGGED" ? "Not sent" : formatDateTime(message.sentAt);
}

/** The stored text; a campaign message keeps none, as it is written for its recipient when sent. */
function MessageText({ kind, body }: { kind: string; body: string }) {
  if (kind === "CAMPAIGN" && !body) {
    return (
      <p className="subtle">
        Campaign emails are written for each recipient when sent; the outbox keeps no copy.
      </p>
    );
  }
  return (
    <pre className="message-body" aria-label="Message text">
      {body}
    </pre>
  );
}

/** One message of the outbox: where it went, what happened, its text; "Send again" if it failed. */
export function MessageDialog({
  message,
  onClose,
}: {
  message: OutboxMessageFieldsFragment | null;
  onClose: () => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: OutboxMessageBodyDocument,
    variables: { id: message?.id ?? "" },
    pause: !message,
  });
  const [{ fetching: retrying }, retry] = useMutation(RetryOutboxMessageDocument);
  const [retryNote, setRetryNote] = useState<string | null>(null);
  const body = data?.node && "textBody" in data.node ? data.node.textBody : null;
  return (
    <Dialog.Root
      open={message !== null}
      onOpenChange={(next) => {
        if (!next) {
          setRetryNote(null);
          onClose();
        }
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-wide" aria-describedby={undefined}>
          {message && (
            <>
              <Dialog.Title className="dialog-title">{message.subject}</Dialog.Title>
              <dl className="details message-meta">
                <dt>To</dt>
                <dd>{message.toName ? `${message.toName} <${message.toAddress}>` : message.toAddress}</dd>
                <dt>Status</dt>
                <dd>
                  {MESSAGE_STATUSES[message.status]}
                  {message.attempts > 0 && (
                    <span className="subtle"> · {plural(message.attempts, "attempt")}</span>
                  )}
                  {message.status === "LOGGED" && (
                    <div className="subtle">
                      No mail server is configured: the email was written to the server's log instead.
                    </div>
                  )}
                </dd>
                {message.lastError && (
                  <>
                    <dt>Last error</dt>
                    <dd className="field-error">{message.lastError}</dd>
                  </>
                )}
                <dt>Created</dt>
                <dd>{formatDateTime(message.createdAt)}</dd>
                <dt>Sent</dt>
                <dd>{sentText(message)}</dd>
              </dl>
              {error ? (
                <p className="notice notice-error">Could not load the message: {error.message}</p>
              ) : fetching || body === null ? (
                <Loading label="Loading message…" />
              ) : (
                <MessageText kind={message.kind} body={body} />
              )}
              {retryNote && <p className="notice notice-ok">{retryNote}</p>}
              <div className="dialog-actions">
                {message.status === "FAILED" && (
                  <button
                    type="button"
                    className="button"
                    disabled={retrying}
                    onClick={async () => {
                      const result = await retry({ input: { id: message.id } }, context);
                      setRetryNote(
                        mutationProblem(result, result.data?.retryOutboxMessage, "Could not retry.") ??
                          "Queued to be sent again.",
                      );
                    }}
                  >
                    Send again
                  </button>
                )}
                <Dialog.Close asChild>
                  <button type="button" className="button button-primary">
                    Close
                  </button>
                </Dialog.Close>
              </div>
            </>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
