import { useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ContactsTable, nextSort } from "../components/ContactsTable";
import { SegmentNameDialog } from "../components/GroupDialogs";
import { Pager, pageArgs } from "../components/Pager";
import { SegmentSummary } from "../components/SegmentSummary";
import { Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import { fromSavedFilter, readSort, writeFilters } from "../lib/filters";
import { formatDateTime } from "../lib/format";
import { DeleteSegment, plural } from "../lib/groups";

const PAGE_SIZE = 25;

const SegmentDetail = graphql(`
  query SegmentDetail(
    $id: ID!
    $orderBy: ContactOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    segment(id: $id) {
      id
      name
      search
      count
      warnings
      createdAt
      updatedAt
      filter {
        ...SegmentFilterFields
      }
      contacts(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          node {
            ...ContactRow
          }
        }
      }
    }
  }
`);

type Notice = { tone: "ok" | "error"; text: string };

export function SegmentPage() {
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const sort = readSort(params);
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: SegmentDetail,
    variables: { id, orderBy: sort, ...pageArgs(params, PAGE_SIZE) },
    requestPolicy: "cache-and-network",
    context,
  });
  const segment = data?.segment;
  useTitle(segment?.name ?? "Segment");
  const [notice, setNotice] = useState<Notice | null>(() => {
    const text = (location.state as { notice?: string } | null)?.notice;
    return text ? { tone: "ok", text } : null;
  });
  const [renameOpen, setRenameOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [{ fetching: deleting }, remove] = useMutation(DeleteSegment);

  if (error && !data) return <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!data && fetching) return <Loading label="Loading segment…" />;
  if (!segment) {
    return (
      <>
        <PageHeader title="Segment not found" />
        <p>
          This segment does not exist or was deleted. <Link to="/segments">Back to segments</Link>
        </p>
      </>
    );
  }

  function sortBy(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete("after");
    next.delete("before");
    setParams(next);
  }

  const listParams = writeFilters(fromSavedFilter(segment.filter));
  if (segment.search) listParams.set("q", segment.search);
  listParams.set("segment", segment.id);
  const rows = segment.contacts.edges.map((e) => e.node);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/segments">← Segments</Link>
      </p>
      <PageHeader
        title={segment.name}
        actions={
          <>
            <Link className="button" to={`/contacts?${listParams.toString()}`}>
              Open in contacts list
            </Link>
            <ActionsMenu
              actions={[
                { label: "Rename…", onSelect: () => setRenameOpen(true) },
                {
                  label: "Delete segment…",
                  danger: true,
                  separatorBefore: true,
                  onSelect: () => {
                    setDeleteError(null);
                    setDeleteOpen(true);
                  },
                },
              ]}
            />
          </>
        }
      >
        <p className="subtle" aria-live="polite">
          {plural(segment.count, "contact")} match now · saved {formatDateTime(segment.updatedAt)}
        </p>
      </PageHeader>

      <div aria-live="polite">
        {notice && (
          <p className={`notice ${notice.tone === "ok" ? "notice-ok" : "notice-error"}`} role="status">
            {notice.text}
          </p>
        )}
      </div>
      {segment.warnings.length > 0 && (
        <div className="notice notice-warning" role="alert">
          <ul>
            {segment.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}

      <section className="segment-filters" aria-label="Filters">
        <SegmentSummary filter={segment.filter} search={segment.search} />
      </section>

      {rows.length === 0 ? (
        <Empty>
          <p>No contacts match this segment now.</p>
        </Empty>
      ) : (
        <ContactsTable
          rows={rows}
          caption={`Contacts in ${segment.name}`}
          sort={sort}
          onSort={(field) => sortBy(nextSort(sort, field))}
          stale={stale}
        />
      )}
      {rows.length > 0 && <Pager pageInfo={segment.contacts.pageInfo} label="Segment pages" />}

      <SegmentNameDialog
        open={renameOpen}
        onOpenChange={setRenameOpen}
        segment={segment}
        onSaved={(saved) => setNotice({ tone: "ok", text: `Renamed to ${saved.name}.` })}
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete segment ${segment.name}?`}
        description={<p>Only the saved filter goes; no contact is changed.</p>}
        confirmLabel="Delete segment"
        busy={deleting}
        error={deleteError}
        onConfirm={async () => {
          const result = await remove({ input: { id: segment.id } }, context);
          const payload = result.data?.deleteSegment;
          if (payload && payload.errors.length === 0) {
            setDeleteOpen(false);
            navigate("/segments", { replace: true, state: { notice: `Deleted segment ${segment.name}.` } });
          } else {
            setDeleteError(
              payload?.errors.map((e) => e.message).join(" ") ?? result.error?.message ?? "Could not delete.",
            );
          }
        }}
      />
    </>
  );
}
