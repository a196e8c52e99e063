import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { usePageQuery } from "../components/QueryState";
import { ListPage, ListSearch } from "../components/ListPage";
import { pageArgs } from "../components/Pager";
import { formatDate, groupPath } from "../lib/format";
import { GroupFormDialog } from "./GroupDialogs";
import { Swatch } from "./Swatch";
import { GroupsDocument } from "./groups.generated";

const PAGE_SIZE = 25;

export function GroupsList() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const search = params.get("q") ?? "";
  const query = usePageQuery(GroupsDocument, { search: search || null, ...pageArgs(params, PAGE_SIZE) });
  const [createOpen, setCreateOpen] = useState(false);

  return (
    <>
      <ListPage
        title="Groups"
        noun={["group", "groups"]}
        filtered={Boolean(search)}
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            New group
          </button>
        }
        toolbar={<ListSearch label="Search groups" placeholder="Search groups…" />}
        query={query}
        connection={(data) => data.groups}
        empty={
          search ? (
            <p>No groups match this search.</p>
          ) : (
            <p>
              No groups yet. A group is a list of contacts you keep by hand, such as a mailing list.{" "}
              <button type="button" className="link-button" onClick={() => setCreateOpen(true)}>
                Create the first group
              </button>
              .
            </p>
          )
        }
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">Members</th>
            <th scope="col">Created</th>
          </>
        }
        cells={(group) => (
          <>
            <th scope="row" className="col-name">
              <Swatch colour={group.colour} />
              <Link to={groupPath(group.id)}>{group.name}</Link>
            </th>
            <td className="col-description" data-label="Description">
              {group.description || <span className="subtle">—</span>}
            </td>
            <td data-label="Members">{group.memberCount}</td>
            <td className="nowrap" data-label="Created">
              {formatDate(group.createdAt)}
            </td>
          </>
        )}
      />
      <GroupFormDialog
        open={createOpen}
        onOpenChange={setCreateOpen}
        onSaved={(group) =>
          navigate(groupPath(group.id), { state: { notice: `Created group ${group.name}.` } })
        }
      />
    </>
  );
}
