import { useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { GroupFormDialog, Swatch } from "../components/GroupDialogs";
import { Pager, pageArgs } from "../components/Pager";
import { SearchBox } from "../components/SearchBox";
import { Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import { formatDate, groupPath } from "../lib/format";
import { plural } from "../lib/groups";

const PAGE_SIZE = 25;

const GroupsQuery = graphql(`
  query Groups($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    groups(search: $search, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          name
          description
          colour
          memberCount
          createdAt
        }
      }
    }
  }
`);

export function GroupsList() {
  useTitle("Groups");
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const search = params.get("q") ?? "";
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: GroupsQuery,
    variables: { search: search || null, ...pageArgs(params, PAGE_SIZE) },
    requestPolicy: "cache-and-network",
    context,
  });
  const [createOpen, setCreateOpen] = useState(false);
  const notice = (location.state as { notice?: string } | null)?.notice;

  const connection = data?.groups;
  const rows = connection?.edges.map((e) => e.node) ?? [];

  return (
    <>
      <PageHeader
        title="Groups"
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            New group
          </button>
        }
      >
        {connection && (
          <p className="subtle" aria-live="polite">
            {plural(connection.totalCount, "group")}
            {search ? " match" : ""}
          </p>
        )}
      </PageHeader>
      <div aria-live="polite">
        {notice && (
          <p className="notice notice-ok" role="status">
            {notice}
          </p>
        )}
      </div>
      <div className="toolbar" role="search">
        <SearchBox
          label="Search groups"
          placeholder="Search groups…"
          value={search}
          onSearch={(q) => setParams(q ? { q } : {}, { replace: true })}
        />
      </div>
      {error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !data && fetching ? (
        <Loading label="Loading groups…" />
      ) : rows.length === 0 ? (
        <Empty>
          {search ? (
            <p>No groups match this search.</p>
          ) : (
            <p>
              No groups yet. A group is a list of contacts you keep by hand, such as a mailing list.{" "}
              <button type="button" className="link-button" onClick={() => setCreateOpen(true)}>
                Create the first group
              </button>
              .
            </p>
          )}
        </Empty>
      ) : (
        <div className={`table-wrap${stale ? " is-stale" : ""}`}>
          <table className="table cards">
            <caption className="visually-hidden">Groups</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Members</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((g) => (
                <tr key={g.id}>
                  <th scope="row" className="col-name">
                    <Swatch colour={g.colour} />
                    <Link to={groupPath(g.id)}>{g.name}</Link>
                  </th>
                  <td className="col-description" data-label="Description">
                    {g.description || <span className="subtle">—</span>}
                  </td>
                  <td data-label="Members">{g.memberCount}</td>
                  <td className="nowrap" data-label="Created">
                    {formatDate(g.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && rows.length > 0 && <Pager pageInfo={connection.pageInfo} label="Groups pages" />}
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
