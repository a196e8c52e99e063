import * as Dialog from "@radix-ui/react-dialog";
import { useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { Pager, pageArgs } from "../components/Pager";
import { Badge, Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import type { MessageStatus, OutboxMessageFieldsFragment } from "../gql/graphql";
import { MESSAGE_KINDS, MESSAGE_STATUSES, formatDateTime, keys } from "../lib/format";
import { plural } from "../lib/groups";
import { oneOf, updateParams } from "../lib/listParams";
import { useAuth } from "../lib/auth";
import { NotFound } from "./NotFound";

const PAGE_SIZE = 25;
const KINDS = Object.keys(MESSAGE_KINDS);

graphql(`
  fragment OutboxMessageFields on OutboxMessage {
    id
    kind
    toAddress
    toName
    subject
    status
    attempts
    nextAttemptAt
    lastError
    sentAt
    createdAt
  }
`);

const OutboxQuery = graphql(`
  query Outbox($filter: OutboxFilter, $first: Int, $after: String, $last: Int, $before: String) {
    outbox(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          ...OutboxMessageFields
        }
      }
    }
  }
`);

const OutboxMessageBody = graphql(`
  query OutboxMessageBody($id: ID!) {
    node(id: $id) {
      ... on OutboxMessage {
        id
        textBody
      }
    }
  }
`);

const SendTestEmail = graphql(`
  mutation SendTestEmail($input: SendTestEmailInput!) {
    sendTestEmail(input: $input) {
      message {
        ...OutboxMessageFields
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const RetryOutboxMessage = graphql(`
  mutation RetryOutboxMessage($input: RetryOutboxMessageInput!) {
    retryOutboxMessage(input: $input) {
      message {
        ...OutboxMessageFields
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const STATUS_TONE = { QUEUED: "neutral", SENDING: "info", SENT: "good", FAILED: "warn" } as const;
const context = { additionalTypenames: ["OutboxMessage"] };

export function OutboxPage() {
  const auth = useAuth();
  if (auth.user?.role !== "ADMIN") return <NotFound />;
  return <Outbox />;
}

function Outbox() {
  useTitle("Outbox");
  const uid = useId();
  const [params, setParams] = useSearchParams();
  const status = oneOf<MessageStatus>(params.get("status"), keys(MESSAGE_STATUSES));
  const kind = oneOf(params.get("kind"), KINDS);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: OutboxQuery,
    variables: {
      filter: { status: status ? [status] : null, kind },
      ...pageArgs(params, PAGE_SIZE),
    },
    requestPolicy: "cache-and-network",
    context,
  });
  const [open, setOpen] = useState<OutboxMessageFieldsFragment | null>(null);
  const connection = data?.outbox;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const filtered = Boolean(status || kind);

  return (
    <>
      <PageHeader title="Outbox">
        {connection && (
          <p className="subtle" aria-live="polite">
            {plural(connection.totalCount, "message")}
            {filtered ? (connection.totalCount === 1 ? " matches" : " match") : ""}
          </p>
        )}
      </PageHeader>
      <TestEmailForm onSent={() => refetch({ requestPolicy: "network-only" })} />
      <div className="toolbar" role="search" aria-label="Filter messages">
        <div className="inline-field">
          <label htmlFor={`${uid}-status`}>Status</label>
          <select
            id={`${uid}-status`}
            value={status ?? ""}
            onChange={(e) => updateParams(params, setParams, { status: e.target.value || null })}
          >
            <option value="">Any status</option>
            {keys(MESSAGE_STATUSES).map((s) => (
              <option key={s} value={s}>
                {MESSAGE_STATUSES[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="inline-field">
          <label htmlFor={`${uid}-kind`}>Kind</label>
          <select
            id={`${uid}-kind`}
            value={kind ?? ""}
            onChange={(e) => updateParams(params, setParams, { kind: e.target.value || null })}
          >
            <option value="">Any kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {MESSAGE_KINDS[k]}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => refetch({ requestPolicy: "network-only" })}
        >
          Refresh
        </button>
      </div>
      {error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !data && fetching ? (
        <Loading label="Loading messages…" />
      ) : rows.length === 0 ? (
        <Empty>
          <p>{filtered ? "No messages match these filters." : "No emails have been sent yet."}</p>
        </Empty>
      ) : (
        <div className={`table-wrap${stale ? " is-stale" : ""}`}>
          <table className="table cards">
            <caption className="visually-hidden">Messages</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Sent</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <th scope="row" className="col-name">
                    <button type="button" className="link-button" onClick={() => setOpen(m)}>
                      {m.subject}
                    </button>
                  </th>
                  <td data-label="To" className="col-email">
                    {m.toName ? `${m.toName} <${m.toAddress}>` : m.toAddress}
                  </td>
                  <td data-label="Kind">{MESSAGE_KINDS[m.kind] ?? m.kind}</td>
                  <td data-label="Status">
                    <Badge tone={STATUS_TONE[m.status]}>{MESSAGE_STATUSES[m.status]}</Badge>
                    {m.attempts > 1 && <span className="subtle"> · {m.attempts} attempts</span>}
                    {m.lastError && m.status !== "SENT" && (
                      <div className="field-error delivery-error">{m.lastError}</div>
                    )}
                  </td>
                  <td className="nowrap" data-label="Created">
                    {formatDateTime(m.createdAt)}
                  </td>
                  <td className="nowrap" data-label="Sent">
                    {formatDateTime(m.sentAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && rows.length > 0 && <Pager pageInfo={connection.pageInfo} label="Outbox pages" />}
      <MessageDialog message={open} onClose={() => setOpen(null)} />
    </>
  );
}

function TestEmailForm({ onSent }: { onSent: () => void }) {
  const id = useId();
  const auth = useAuth();
  const [to, setTo] = useState(auth.user?.email ?? "");
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [{ fetching }, send] = useMutation(SendTestEmail);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    setFieldError(null);
    const response = await send({ input: { to: to.trim() } }, context);
    const payload = response.data?.sendTestEmail;
    if (payload?.message && payload.errors.length === 0) {
      setResult({
        tone: "ok",
        text: `Test email queued for ${payload.message.toAddress}. Its status shows below.`,
      });
      onSent();
    } else if (payload?.errors.length) {
      const onField = payload.errors.find((e) => e.field?.includes("to"));
      if (onField) setFieldError(onField.message);
      const other = payload.errors.filter((e) => e !== onField);
      if (other.length) setResult({ tone: "error", text: other.map((e) => e.message).join(" ") });
    } else {
      setResult({ tone: "error", text: response.error?.message ?? "Could not send." });
    }
  }

  return (
    <form className="card test-email" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Send a test email</h2>
      <p className="hint">Checks that the mail server accepts the CRM's email.</p>
      <div className="test-email-row">
        <div className="field">
          <label htmlFor={`${id}-to`}>Send to</label>
          <input
            id={`${id}-to`}
            type="email"
            autoComplete="email"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-to-error` : undefined}
          />
          {fieldError && (
            <p className="field-error" id={`${id}-to-error`}>
              {fieldError}
            </p>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Sending…" : "Send test email"}
        </button>
      </div>
      <div aria-live="polite">
        {result && (
          <p className={`notice ${result.tone === "ok" ? "notice-ok" : "notice-error"}`}>
            {result.text}
          </p>
        )}
      </div>
    </form>
  );
}

function MessageDialog({
  message,
  onClose,
}: {
  message: OutboxMessageFieldsFragment | null;
  onClose: () => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: OutboxMessageBody,
    variables: { id: message?.id ?? "" },
    pause: !message,
  });
  const [{ fetching: retrying }, retry] = useMutation(RetryOutboxMessage);
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
                      const payload = result.data?.retryOutboxMessage;
                      setRetryNote(
                        payload?.errors.length
                          ? payload.errors.map((e) => e.message).join(" ")
                          : payload
                            ? "Queued to be sent again."
                            : (result.error?.message ?? "Could not retry."),
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
