import { useMemo, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/dialogs";
import { ListSearch } from "../components/ListPage";
import { Pager, pageArgs } from "../components/Pager";
import { RecordState, usePageQuery } from "../components/QueryState";
import { Empty, NoticeBar, PageHeader, usePassedNotice, useTitle } from "../components/ui";
import { ContactsTable, nextSort, useSelection } from "../contacts/ContactsTable";
import { readSort } from "../contacts/filters";
import { ALL_CONTEXT } from "../lib/client";
import { plural } from "../lib/format";
import { updateParams } from "../lib/listParams";
import { mutationProblem } from "../lib/problems";
import { GroupFormDialog } from "./GroupDialogs";
import {
  DeleteGroupDocument,
  GroupDetailDocument,
  RemoveContactsFromGroupDocument,
  type GroupDetailQuery,
} from "./groups.generated";
import { Swatch } from "./Swatch";

const PAGE_SIZE = 25;

type Group = NonNullable<GroupDetailQuery["group"]>;

export function GroupPage() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const search = params.get("q") ?? "";
  const query = usePageQuery(GroupDetailDocument, {
    id,
    search: search || null,
    orderBy: readSort(params),
    ...pageArgs(params, PAGE_SIZE),
  });
  useTitle(query[0].data?.group?.name ?? "Group");
  return (
    <RecordState query={query} what="group" list="/groups" select={(d) => d.group}>
      {(group, stale) => <GroupView group={group} stale={stale} />}
    </RecordState>
  );
}

function GroupView({ group, stale }: { group: Group; stale: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const search = params.get("q") ?? "";
  const sort = readSort(params);
  const [notice, setNotice] = usePassedNotice();
  const [editOpen, setEditOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [, remove] = useMutation(DeleteGroupDocument);
  const [{ fetching: removing }, removeMembers] = useMutation(RemoveContactsFromGroupDocument);
  const members = group.members;
  const rows = useMemo(() => members.edges.map((e) => e.node), [members]);
  const { selection, selectedRows } = useSelection(rows);

  async function removeSelected() {
    const ids = selectedRows.map((r) => r.id);
    const result = await removeMembers({ input: { groupId: group.id, contactIds: ids } }, ALL_CONTEXT);
    const payload = result.data?.removeContactsFromGroup;
    selection.onChange(new Set());
    if (!payload) {
      setNotice({ tone: "error", text: result.error?.message ?? "Could not remove them." });
      return;
    }
    const gone = payload.errors.length;
    setNotice({
      tone: gone ? "error" : "ok",
      text: `Removed ${plural(payload.changedCount, "contact")} from ${group.name}.${
        gone ? ` ${plural(gone, "contact")} no longer exist.` : ""
      }`,
    });
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/groups">← Groups</Link>
      </p>
      <PageHeader
        title={
          <>
            {group.colour && <Swatch colour={group.colour} />}
            {group.name}
          </>
        }
        actions={
          <>
            <Link className="button" to={`/contacts?group=${encodeURIComponent(group.id)}`}>
              Filter in contacts list
            </Link>
            <ActionsMenu
              actions={[
                { label: "Edit group…", onSelect: () => setEditOpen(true) },
                { label: "Delete group…", danger: true, separatorBefore: true, onSelect: () => setDeleteOpen(true) },
              ]}
            />
          </>
        }
      >
        {group.description && <p>{group.description}</p>}
        <p className="subtle" aria-live="polite">
          {plural(group.memberCount, "member")}
          {search ? ` · ${plural(members.totalCount, "match", "matches")}` : ""}
        </p>
      </PageHeader>

      <NoticeBar notice={notice} />

      <ListSearch label="Search members" placeholder="Search this group's members…" />

      <div className="selection-bar" aria-live="polite">
        {selectedRows.length > 0 && (
          <>
            <span>{selectedRows.length} selected</span>
            <button type="button" className="button" disabled={removing} onClick={() => void removeSelected()}>
              Remove from group
            </button>
            <button type="button" className="button button-quiet" onClick={() => selection.onChange(new Set())}>
              Clear selection
            </button>
          </>
        )}
      </div>

      {rows.length === 0 ? (
        <Empty>
          {search ? (
            <p>No members match this search.</p>
          ) : (
            <p>
              No members yet. Select contacts in the <Link to="/contacts">contacts list</Link> and choose
              Add to group.
            </p>
          )}
        </Empty>
      ) : (
        <>
          <ContactsTable
            rows={rows}
            caption={`Members of ${group.name}`}
            sort={sort}
            onSort={(field) => updateParams(params, setParams, nextSort(sort, field))}
            selection={selection}
            stale={stale}
          />
          <Pager pageInfo={members.pageInfo} label="Members pages" />
        </>
      )}

      <GroupFormDialog
        open={editOpen}
        onOpenChange={setEditOpen}
        group={group}
        onSaved={(saved) => setNotice({ tone: "ok", text: `Saved group ${saved.name}.` })}
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete group ${group.name}?`}
        description={
          <p>
            Its {plural(group.memberCount, "member")} stay in the CRM: only the membership goes. Segments
            that filter on this group will match no one.
          </p>
        }
        confirmLabel="Delete group"
        action={async () => {
          const result = await remove({ input: { id: group.id } }, ALL_CONTEXT);
          return mutationProblem(result, result.data?.deleteGroup, "Could not delete.");
        }}
        onDone={() => navigate("/groups", { replace: true, state: { notice: `Deleted group ${group.name}.` } })}
      />
    </>
  );
}
