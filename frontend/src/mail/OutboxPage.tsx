import { useState } from "react";
import { useSearchParams } from "react-router";
import { usePageQuery } from "../components/QueryState";
import { ListPage, ParamSelect } from "../components/ListPage";
import { NotFound } from "../components/NotFound";
import { pageArgs } from "../components/Pager";
import { Badge } from "../components/ui";
import type { MessageStatus } from "../gql/schema";
import { useAuth } from "../lib/auth";
import { MESSAGE_KINDS, MESSAGE_STATUSES, formatDateTime, keys } from "../lib/format";
import { oneOf } from "../lib/listParams";
import { MessageDialog, sentText } from "./MessageDialog";
import { NoMailServerBanner } from "./NoMailServerBanner";
import { OutboxDocument, type OutboxMessageFieldsFragment } from "./mail.generated";
import { TestEmailForm } from "./TestEmailForm";

const PAGE_SIZE = 25;
const KINDS = Object.keys(MESSAGE_KINDS);
const STATUS_TONE = { QUEUED: "neutral", SENDING: "info", SENT: "good", FAILED: "warn", LOGGED: "muted" } as const;
const context = { additionalTypenames: ["OutboxMessage"] };

export function OutboxPage() {
  const auth = useAuth();
  if (auth.user?.role !== "ADMIN") return <NotFound />;
  return <Outbox />;
}

function Outbox() {
  const [params] = useSearchParams();
  const status = oneOf<MessageStatus>(params.get("status"), keys(MESSAGE_STATUSES));
  const kind = oneOf(params.get("kind"), KINDS);
  const query = usePageQuery(OutboxDocument, {
      filter: { status: status ? [status] : null, kind },
      ...pageArgs(params, PAGE_SIZE),
    }, context);
  const refresh = () => query[1]({ requestPolicy: "network-only" });
  const [open, setOpen] = useState<OutboxMessageFieldsFragment | null>(null);
  const filtered = Boolean(status || kind);

  return (
    <>
      <ListPage
        title="Outbox"
        noun={["message", "messages"]}
        filtered={filtered}
        before={
          <>
            <NoMailServerBanner />
            <TestEmailForm onSent={refresh} />
          </>
        }
        toolbar={
          <div className="toolbar" role="search" aria-label="Filter messages">
            <ParamSelect param="status" label="Status" anyLabel="Any status" options={MESSAGE_STATUSES} />
            <ParamSelect param="kind" label="Kind" anyLabel="Any kind" options={MESSAGE_KINDS} />
            <button type="button" className="button" onClick={refresh}>
              Refresh
            </button>
          </div>
        }
        query={query}
        connection={(data) => data.outbox}
        empty={<p>{filtered ? "No messages match these filters." : "No emails have been sent yet."}</p>}
        caption="Messages"
        head={
          <>
            <th scope="col">Subject</th>
            <th scope="col">To</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Sent</th>
          </>
        }
        cells={(m) => (
          <>
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
              {sentText(m)}
            </td>
          </>
        )}
      />
      <MessageDialog message={open} onClose={() => setOpen(null)} />
    </>
  );
}
