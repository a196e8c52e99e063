import { useCallback, useMemo, useState, type ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ColumnChooser, useListColumns } from "../components/ColumnChooser";
import { SortSelect } from "../components/ListPage";
import { Pager, pageArgs } from "../components/Pager";
import { QueryState, usePageQuery } from "../components/QueryState";
import { SearchBox } from "../components/SearchBox";
import { Empty, PageHeader, noticeOf, usePassedNotice, useTitle } from "../components/ui";
import { AddToGroupDialog } from "../groups/GroupDialogs";
import { ALL_CONTEXT } from "../lib/client";
import { countText, groupPath, segmentPath } from "../lib/format";
import { SORTS, updateParams } from "../lib/listParams";
import { mutationProblem } from "../lib/problems";
import { SegmentNameDialog } from "../segments/SegmentNameDialog";
import { UpdateSegmentDocument } from "../segments/segments.generated";
import { CONTACT_COLUMN_LABELS, DEFAULT_CONTACT_COLUMNS, KNOWN_CONTACT_COLUMNS } from "./columns";
import { ContactActionsMenu } from "./ContactActionsMenu";
import { BulkBar, type StartedOperation } from "./bulk/BulkBar";
import { outcomeText } from "./bulk/labels";
import { useUndoArchive } from "./bulk/UndoToast";
import { useViewSelection } from "./bulk/useViewSelection";
import { ContactsTable, nextSort } from "./ContactsTable";
import { ContactsDocument, SegmentNameDocument } from "./contacts.generated";
import { ExportMenu } from "./ExportMenu";
import { FilterBar } from "./FilterBar";
import {
  SHOW_LABELS,
  hasFilters,
  readFilters,
  readSort,
  toContactFilter,
  writeFilters,
  type Filters,
  type Show,
} from "./filters";

export const PAGE_SIZE = 25;

const CONTACT_SORTS = [
  ...SORTS,
  { value: "LAST_CONTACTED_AT.DESC", label: "Recently contacted" },
  { value: "LAST_CONTACTED_AT.ASC", label: "Least recently contacted" },
];

/** A notice with a link to what it is about. */
function linked(text: string, to: string, label: string): ReactNode {
  return (
    <>
      {text} <Link to={to}>{label}</Link>
    </>
  );
}

export function ContactsList() {
  useTitle("Contacts");
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters = readFilters(params);
  const sort = readSort(params);
  const search = params.get("q") ?? "";
  const filter = toContactFilter(filters);
  const query = usePageQuery(ContactsDocument, {
    filter,
    search: search || null,
    orderBy: sort,
    ...pageArgs(params, PAGE_SIZE),
  });
  const [{ data }, refetch] = query;
  const update = (changes: Record<string, string | null>, replace = false) =>
    updateParams(params, setParams, changes, replace);

  function setFilters(next: Filters) {
    const url = writeFilters(next, params);
    url.delete("after");
    url.delete("before");
    setParams(url);
  }

  const connection = data?.contacts;
  const rows = useMemo(() => connection?.edges.map((e) => e.node) ?? [], [connection]);
  const selection = useViewSelection(rows, { filter, search }, connection?.totalCount ?? 0);
  const [notice, setNotice] = usePassedNotice();
  const refresh = useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]);
  const { offerUndo, toast } = useUndoArchive(refresh);
  const [addToGroupOpen, setAddToGroupOpen] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  // Opened from a segment: its filters can be saved back to it.
  const segmentId = params.get("segment");
  const [{ data: segmentData }] = useQuery({
    query: SegmentNameDocument,
    variables: { id: segmentId ?? "" },
    pause: !segmentId,
    context: ALL_CONTEXT,
  });
  const fromSegment = segmentId ? segmentData?.segment : null;
  const [{ fetching: updatingSegment }, updateSegment] = useMutation(UpdateSegmentDocument);
  const columns = useListColumns("CONTACTS", KNOWN_CONTACT_COLUMNS, DEFAULT_CONTACT_COLUMNS);

  async function saveToSegment() {
    if (!fromSegment) return;
    const result = await updateSegment(
      { input: { id: fromSegment.id, filter, search: search || null } },
      ALL_CONTEXT,
    );
    const problem = mutationProblem(result, result.data?.updateSegment, "Could not save the segment.");
    setNotice(
      noticeOf(
        problem,
        linked(
          `Saved these filters to segment ${fromSegment.name}.`,
          segmentPath(fromSegment.id),
          `Open ${fromSegment.name}`,
        ),
      ),
    );
  }

  /** A bulk action is over: its outcome, Undo after archiving ticked rows, the list anew. */
  function bulkFinished({ operation, undoIds }: StartedOperation) {
    const text = outcomeText(operation);
    const failed = operation.state === "FAILED" || operation.failed > 0;
    selection.clear();
    if (undoIds?.length && operation.changed > 0 && !failed) offerUndo({ text, ids: undoIds });
    else setNotice({ tone: failed ? "error" : "ok", text });
    refresh();
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
              total={
                connection &&
                countText(connection.totalCount, connection.totalCountIsEstimate)
              }
              selectedIds={selection.ids}
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
            {countText(connection.totalCount, connection.totalCountIsEstimate)}{" "}
            {filters.show === "archived" ? "archived " : ""}
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
        <SortSelect
          sorts={CONTACT_SORTS}
          value={`${sort.field}.${sort.direction}`}
          onChange={(field, dir) =>
            update({ sort: field === "NAME" ? null : field, dir: dir === "DESC" ? "DESC" : null })
          }
        />
        <ColumnChooser
          noun="contacts"
          labels={CONTACT_COLUMN_LABELS}
          defaults={DEFAULT_CONTACT_COLUMNS}
          value={columns}
        />
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
          <button type="button" className="link-button" onClick={() => update({ segment: null }, true)}>
            Stop editing
          </button>
        </p>
      )}

      <BulkBar
        selection={selection}
        total={{ count: connection?.totalCount ?? 0, estimated: connection?.totalCountIsEstimate ?? false }}
        notice={
          notice && (
            <span className={notice.tone === "ok" ? "notice-inline" : "notice-inline error"} role="status">
              {notice.text}
            </span>
          )
        }
        onAddToGroup={() => setAddToGroupOpen(true)}
        onFinished={bulkFinished}
      />
      {toast}

      <QueryState
        query={query}
        loading="Loading contacts…"
        select={(d) => (d.contacts.edges.length ? d.contacts : null)}
        empty={
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
        }
      >
        {(found, stale) => (
          <>
            <ContactsTable
              rows={rows}
              caption="Contacts"
              sort={sort}
              onSort={(field) => update(nextSort(sort, field))}
              selection={selection.table}
              stale={stale}
              columns={columns.columns}
              rowMenu={(row) => (
                <ContactActionsMenu
                  contact={row}
                  compact
                  onNotice={setNotice}
                  onArchived={offerUndo}
                  onDeleted={() => setNotice({ tone: "ok", text: `${row.fullName} was deleted.` })}
                />
              )}
            />
            <Pager pageInfo={found.pageInfo} label="Contacts pages" />
          </>
        )}
      </QueryState>

      <AddToGroupDialog
        open={addToGroupOpen}
        onOpenChange={setAddToGroupOpen}
        contactIds={selection.ids}
        onDone={(text, tone, group) => {
          selection.clear();
          setNotice({ tone, text: group ? linked(text, groupPath(group.id), `Open ${group.name}`) : text });
        }}
      />
      <SegmentNameDialog
        open={saveOpen}
        onOpenChange={setSaveOpen}
        filter={filter}
        search={search}
        onSaved={(segment) =>
          navigate(segmentPath(segment.id), { state: { notice: `Saved segment ${segment.name}.` } })
        }
      />
    </>
  );
}
