import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/dialogs";
import { Pager, pageArgs } from "../components/Pager";
import { RecordState, usePageQuery } from "../components/QueryState";
import { Empty, NoticeBar, PageHeader, usePassedNotice, useTitle } from "../components/ui";
import { ContactsTable, nextSort } from "../contacts/ContactsTable";
import { fromSavedFilter, readSort, writeFilters } from "../contacts/filters";
import { ALL_CONTEXT } from "../lib/client";
import { formatDateTime, plural } from "../lib/format";
import { updateParams } from "../lib/listParams";
import { mutationProblem } from "../lib/problems";
import { SegmentNameDialog } from "./SegmentNameDialog";
import { SegmentSummary } from "./SegmentSummary";
import { DeleteSegmentDocument, SegmentDetailDocument, type SegmentDetailQuery } from "./segments.generated";

const PAGE_SIZE = 25;

type Segment = NonNullable<SegmentDetailQuery["segment"]>;

export function SegmentPage() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const query = usePageQuery(SegmentDetailDocument, {
    id,
    orderBy: readSort(params),
    ...pageArgs(params, PAGE_SIZE),
  });
  useTitle(query[0].data?.segment?.name ?? "Segment");
  return (
    <RecordState query={query} what="segment" list="/segments" select={(d) => d.segment}>
      {(segment, stale) => <SegmentView segment={segment} stale={stale} />}
    </RecordState>
  );
}

function SegmentView({ segment, stale }: { segment: Segment; stale: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const sort = readSort(params);
  const [notice, setNotice] = usePassedNotice();
  const [renameOpen, setRenameOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [, remove] = useMutation(DeleteSegmentDocument);

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
                { label: "Delete segment…", danger: true, separatorBefore: true, onSelect: () => setDeleteOpen(true) },
              ]}
            />
          </>
        }
      >
        <p className="subtle" aria-live="polite">
          {plural(segment.count, "contact")} match now · saved {formatDateTime(segment.updatedAt)}
        </p>
      </PageHeader>

      <NoticeBar notice={notice} />
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
        <>
          <ContactsTable
            rows={rows}
            caption={`Contacts in ${segment.name}`}
            sort={sort}
            onSort={(field) => updateParams(params, setParams, nextSort(sort, field))}
            stale={stale}
          />
          <Pager pageInfo={segment.contacts.pageInfo} label="Segment pages" />
        </>
      )}

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
        action={async () => {
          const result = await remove({ input: { id: segment.id } }, ALL_CONTEXT);
          return mutationProblem(result, result.data?.deleteSegment, "Could not delete.");
        }}
        onDone={() =>
          navigate("/segments", { replace: true, state: { notice: `Deleted segment ${segment.name}.` } })
        }
      />
    </>
  );
}
