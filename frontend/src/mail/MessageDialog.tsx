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
                <dd>{formatDateTime(message.sentAt)}</dd>
              </dl>
              {error ? (
                <p className="notice notice-error">Could not load the message: {error.message}</p>
              ) : fetching || body === null ? (
                <Loading label="Loading message…" />
              ) : (
                <pre className="message-body" aria-label="Message text">
                  {body}
                </pre>
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
