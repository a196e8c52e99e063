import { useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ContactsTable, nextSort } from "../components/ContactsTable";
import { ExportMenu } from "../components/ExportMenu";
import { FilterBar } from "../components/FilterBar";
import { AddToGroupDialog, SegmentNameDialog } from "../components/GroupDialogs";
import { Pager, pageArgs } from "../components/Pager";
import { SearchBox } from "../components/SearchBox";
import { Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import {
  SHOW_LABELS,
  hasFilters,
  readFilters,
  readSort,
  toContactFilter,
  writeFilters,
  type Filters,
  type Show,
} from "../lib/filters";
import { segmentPath } from "../lib/format";
import { UpdateSegment } from "../lib/groups";
import { ArchiveContact, RestoreContact } from "../lib/mutations";

export const PAGE_SIZE = 25;

const ContactsQuery = graphql(`
  query Contacts(
    $filter: ContactFilter
    $search: String
    $orderBy: ContactOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    contacts(
      filter: $filter
      search: $search
      orderBy: $orderBy
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          ...ContactRow
        }
      }
    }
  }
`);

const SegmentName = graphql(`
  query SegmentName($id: ID!) {
    segment(id: $id) {
      id
      name
    }
  }
`);

const SORTS: { value: string; label: string }[] = [
  { value: "NAME.ASC", label: "Name A–Z" },
  { value: "NAME.DESC", label: "Name Z–A" },
  { value: "CREATED_AT.DESC", label: "Newest first" },
  { value: "CREATED_AT.ASC", label: "Oldest first" },
  { value: "UPDATED_AT.DESC", label: "Recently updated" },
  { value: "UPDATED_AT.ASC", label: "Least recently updated" },
  { value: "LAST_CONTACTED_AT.DESC", label: "Recently contacted" },
  { value: "LAST_CONTACTED_AT.ASC", label: "Least recently contacted" },
];

export function ContactsList() {
  useTitle("Contacts");
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = readFilters(params);
  const sort = readSort(params);
  const search = params.get("q") ?? "";
  const filter = toContactFilter(filters);
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: ContactsQuery,
    variables: {
      filter,
      search: search || null,
      orderBy: sort,
      ...pageArgs(params, PAGE_SIZE),
    },
    requestPolicy: "cache-and-network",
    context,
  });

  // Change the view: a new search, filter or sort starts again from the first page.
  function update(changes: Record<string, string | null>, replace = false) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete("after");
    next.delete("before");
    setParams(next, { replace });
  }

  function setFilters(next: Filters) {
    const url = writeFilters(next, params);
    url.delete("after");
    url.delete("before");
    setParams(url);
  }

  const connection = data?.contacts;
  const rows = useMemo(() => connection?.edges.map((e) => e.node) ?? [], [connection]);

  // Selection belongs to one page of one view.
  const viewKey = params.toString();
  const [selection, setSelection] = useState<{ key: string; ids: Set<string> }>({
    key: viewKey,
    ids: new Set(),
  });
  const selected = selection.key === viewKey ? selection.ids : new Set<string>();
  const selectedRows = rows.filter((r) => selected.has(r.id));
  const setSelected = (ids: Set<string>) => setSelection({ key: viewKey, ids });

  const location = useLocation();
  type Notice = { tone: "ok" | "error"; text: string; link?: { to: string; label: string } };
  const [notice, setNotice] = useState<Notice | null>(() => {
    const text = (location.state as { notice?: string } | null)?.notice;
    return text ? { tone: "ok", text } : null;
  });
  const [{ fetching: archiving }, archive] = useMutation(ArchiveContact);
  const [{ fetching: restoring }, restore] = useMutation(RestoreContact);
  const [addToGroupOpen, setAddToGroupOpen] = useState(false);
  // Opened from a segment: its filters can be saved back to it.
  const segmentId = params.get("segment");
  const [{ data: segmentData }] = useQuery({
    query: SegmentName,
    variables: { id: segmentId ?? "" },
    pause: !segmentId,
    context,
  });
  const fromSegment = segmentId ? segmentData?.segment : null;
  const [{ fetching: updatingSegment }, updateSegment] = useMutation(UpdateSegment);

  async function saveToSegment() {
    if (!fromSegment) return;
    const result = await updateSegment(
      { input: { id: fromSegment.id, filter, search: search || null } },
      context,
    );
    const payload = result.data?.updateSegment;
    setNotice(
      payload && payload.errors.length === 0
        ? {
            tone: "ok",
            text: `Saved these filters to segment ${fromSegment.name}.`,
            link: { to: segmentPath(fromSegment.id), label: `Open ${fromSegment.name}` },
          }
        : {
            tone: "error",
            text:
              payload?.errors.map((e) => e.message).join(" ") ??
              result.error?.message ??
              "Could not save the segment.",
          },
    );
  }
  const [saveOpen, setSaveOpen] = useState(false);

  async function bulk(action: "archive" | "restore") {
    const targets = selectedRows.filter((r) => (action === "archive" ? !r.archived : r.archived));
    const run = action === "archive" ? archive : restore;
    const failures: string[] = [];
    for (const row of targets) {
      const result = await run({ input: { id: row.id } }, context);
      const payload =
        result.data && ("archiveContact" in result.data
          ? result.data.archiveContact
          : result.data.restoreContact);
      if (result.error || !payload || payload.errors.length) {
        failures.push(
          `${row.fullName}: ${payload?.errors.map((e) => e.message).join(" ") ?? result.error?.message ?? "failed"}`,
        );
      }
    }
    const done = targets.length - failures.length;
    const verb = action === "archive" ? "Archived" : "Restored";
    setSelected(new Set());
    setNotice(
      failures.length
        ? { tone: "error", text: `${verb} ${done}; could not ${action} ${failures.join("; ")}` }
        : { tone: "ok", text: `${verb} ${done} contact${done === 1 ? "" : "s"}.` },
    );
    refetch({ requestPolicy: "network-only" });
  }

  const filtered = Boolean(search) || hasFilters(filters);

  return (
    <>
      <PageHeader
        title="Contacts"
        actions={
          <>
            <ExportMenu
              view={{ filter, search, sort }}
              total={connection?.totalCount}
              selectedIds={selectedRows.map((r) => r.id)}
            />
            <Link className="button" to="/contacts/import">
              Import
            </Link>
            <Link className="button button-primary" to="/contacts/new">
              Add contact
            </Link>
          </>
        }
      >
        {connection && (
          <p className="subtle" aria-live="polite">
            {connection.totalCount} {filters.show === "archived" ? "archived " : ""}
            contact{connection.totalCount === 1 ? "" : "s"}
            {filtered ? " match" : ""}
          </p>
        )}
      </PageHeader>

      <div className="toolbar" role="search">
        <SearchBox
          label="Search contacts"
          placeholder="Search name, email, company, phone…"
          value={search}
          onSearch={(q) => update({ q }, true)}
        />
        <label className="inline-field">
          <span>Show</span>
          <select
            value={filters.show}
            onChange={(e) => setFilters({ ...filters, show: e.target.value as Show })}
          >
            {(Object.keys(SHOW_LABELS) as Show[]).map((value) => (
              <option key={value} value={value}>
                {SHOW_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Sort</span>
          <select
            value={`${sort.field}.${sort.direction}`}
            onChange={(e) => {
              const [field, dir] = e.target.value.split(".");
              update({ sort: field === "NAME" ? null : field, dir: dir === "DESC" ? "DESC" : null });
            }}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      <FilterBar
        filters={filters}
        onChange={setFilters}
        actions={
          filtered && (
            <button type="button" className="button button-small" onClick={() => setSaveOpen(true)}>
              Save as segment…
            </button>
          )
        }
      />

      {fromSegment && (
        <p className="segment-bar">
          <span>
            Filters of segment <Link to={segmentPath(fromSegment.id)}>{fromSegment.name}</Link>
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={updatingSegment}
            onClick={() => void saveToSegment()}
          >
            Save changes to segment
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => update({ segment: null }, true)}
          >
            Stop editing
          </button>
        </p>
      )}

      <div className="selection-bar" aria-live="polite">
        {selectedRows.length > 0 ? (
          <>
            <span>{selectedRows.length} selected</span>
            <button type="button" className="button" onClick={() => setAddToGroupOpen(true)}>
              Add to group…
            </button>
            {selectedRows.some((r) => !r.archived) && (
              <button
                type="button"
                className="button"
                disabled={archiving}
                onClick={() => bulk("archive")}
              >
                Archive selected
              </button>
            )}
            {selectedRows.some((r) => r.archived) && (
              <button
                type="button"
                className="button"
                disabled={restoring}
                onClick={() => bulk("restore")}
              >
                Restore selected
              </button>
            )}
            <button type="button" className="button button-quiet" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </>
        ) : (
          notice && (
            <span className={notice.tone === "ok" ? "notice-inline" : "notice-inline error"} role="status">
              {notice.text}
              {notice.link && (
                <>
                  {" "}
                  <Link to={notice.link.to}>{notice.link.label}</Link>
                </>
              )}
            </span>
          )
        )}
      </div>

      {error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !data && fetching ? (
        <Loading label="Loading contacts…" />
      ) : rows.length === 0 ? (
        <Empty>
          {filtered ? (
            <p>No contacts match this search. Try fewer words or remove a filter.</p>
          ) : filters.show === "archived" ? (
            <p>No archived contacts.</p>
          ) : (
            <p>
              No contacts yet. <Link to="/contacts/new">Add the first contact</Link>.
            </p>
          )}
        </Empty>
      ) : (
        <ContactsTable
          rows={rows}
          caption="Contacts"
          sort={sort}
          onSort={(field) => update(nextSort(sort, field))}
          selection={{ ids: selected, onChange: setSelected }}
          stale={stale}
        />
      )}
      {connection && rows.length > 0 && <Pager pageInfo={connection.pageInfo} label="Contacts pages" />}

      <AddToGroupDialog
        open={addToGroupOpen}
        onOpenChange={setAddToGroupOpen}
        contactIds={selectedRows.map((r) => r.id)}
        onDone={(text, tone, group) => {
          setSelected(new Set());
          setNotice({
            tone,
            text,
            link: group && { to: `/groups/${encodeURIComponent(group.id)}`, label: `Open ${group.name}` },
          });
        }}
      />
      <SegmentNameDialog
        open={saveOpen}
        onOpenChange={setSaveOpen}
        filter={filter}
        search={search}
        onSaved={(segment) =>
          navigate(`/segments/${encodeURIComponent(segment.id)}`, {
            state: { notice: `Saved segment ${segment.name}.` },
          })
        }
      />
    </>
  );
}
