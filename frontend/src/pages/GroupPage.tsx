import { useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ContactsTable, nextSort } from "../components/ContactsTable";
import { GroupFormDialog, Swatch } from "../components/GroupDialogs";
import { Pager, pageArgs } from "../components/Pager";
import { SearchBox } from "../components/SearchBox";
import { Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import { readSort } from "../lib/filters";
import { DeleteGroup, RemoveContactsFromGroup, plural } from "../lib/groups";

const PAGE_SIZE = 25;

const GroupDetail = graphql(`
  query GroupDetail(
    $id: ID!
    $search: String
    $orderBy: ContactOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    group(id: $id) {
      id
      name
      description
      colour
      memberCount
      createdAt
      members(
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
          node {
            ...ContactRow
          }
        }
      }
    }
  }
`);

type Notice = { tone: "ok" | "error"; text: string };

export function GroupPage() {
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const search = params.get("q") ?? "";
  const sort = readSort(params);
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: GroupDetail,
    variables: { id, search: search || null, orderBy: sort, ...pageArgs(params, PAGE_SIZE) },
    requestPolicy: "cache-and-network",
    context,
  });
  const group = data?.group;
  useTitle(group?.name ?? "Group");
  const [notice, setNotice] = useState<Notice | null>(() => {
    const text = (location.state as { notice?: string } | null)?.notice;
    return text ? { tone: "ok", text } : null;
  });
  const [editOpen, setEditOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [{ fetching: deleting }, remove] = useMutation(DeleteGroup);
  const [{ fetching: removing }, removeMembers] = useMutation(RemoveContactsFromGroup);

  const viewKey = params.toString();
  const [selection, setSelection] = useState<{ key: string; ids: Set<string> }>({
    key: viewKey,
    ids: new Set(),
  });
  const rows = useMemo(() => group?.members.edges.map((e) => e.node) ?? [], [group]);
  const selected = selection.key === viewKey ? selection.ids : new Set<string>();
  const selectedRows = rows.filter((r) => selected.has(r.id));
  const setSelected = (ids: Set<string>) => setSelection({ key: viewKey, ids });

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

  if (error && !data) return <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!data && fetching) return <Loading label="Loading group…" />;
  if (!group) {
    return (
      <>
        <PageHeader title="Group not found" />
        <p>
          This group does not exist or was deleted. <Link to="/groups">Back to groups</Link>
        </p>
      </>
    );
  }

  async function removeSelected() {
    if (!group) return;
    const ids = selectedRows.map((r) => r.id);
    const result = await removeMembers({ input: { groupId: group.id, contactIds: ids } }, context);
    const payload = result.data?.removeContactsFromGroup;
    setSelected(new Set());
    if (!payload) {
      setNotice({ tone: "error", text: result.error?.message ?? "Could not remove them." });
    } else {
      setNotice({
        tone: payload.errors.length ? "error" : "ok",
        text: `Removed ${plural(payload.changedCount, "contact")} from ${group.name}.${
          payload.errors.length ? ` ${plural(payload.errors.length, "contact")} no longer exist.` : ""
        }`,
      });
    }
  }

  const members = group.members;
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
                {
                  label: "Delete group…",
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
        {group.description && <p>{group.description}</p>}
        <p className="subtle" aria-live="polite">
          {plural(group.memberCount, "member")}
          {search ? ` · ${plural(members.totalCount, "match", "matches")}` : ""}
        </p>
      </PageHeader>

      <div aria-live="polite">
        {notice && (
          <p className={`notice ${notice.tone === "ok" ? "notice-ok" : "notice-error"}`} role="status">
            {notice.text}
          </p>
        )}
      </div>

      <div className="toolbar" role="search">
        <SearchBox
          label="Search members"
          placeholder="Search this group's members…"
          value={search}
          onSearch={(q) => update({ q }, true)}
        />
      </div>

      <div className="selection-bar" aria-live="polite">
        {selectedRows.length > 0 && (
          <>
            <span>{selectedRows.length} selected</span>
            <button
              type="button"
              className="button"
              disabled={removing}
              onClick={() => void removeSelected()}
            >
              Remove from group
            </button>
            <button type="button" className="button button-quiet" onClick={() => setSelected(new Set())}>
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
              No members yet. Select contacts in the <Link to="/contacts">contacts list</Link> and
              choose Add to group.
            </p>
          )}
        </Empty>
      ) : (
        <ContactsTable
          rows={rows}
          caption={`Members of ${group.name}`}
          sort={sort}
          onSort={(field) => update(nextSort(sort, field))}
          selection={{ ids: selected, onChange: setSelected }}
          stale={stale}
        />
      )}
      {rows.length > 0 && <Pager pageInfo={members.pageInfo} label="Members pages" />}

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
            Its {plural(group.memberCount, "member")} stay in the CRM: only the membership goes.
            Segments that filter on this group will match no one.
          </p>
        }
        confirmLabel="Delete group"
        busy={deleting}
        error={deleteError}
        onConfirm={async () => {
          const result = await remove({ input: { id: group.id } }, context);
          const payload = result.data?.deleteGroup;
          if (payload && payload.errors.length === 0) {
            setDeleteOpen(false);
            navigate("/groups", { replace: true, state: { notice: `Deleted group ${group.name}.` } });
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
