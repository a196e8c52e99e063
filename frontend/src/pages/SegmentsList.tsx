import { useMemo } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { Pager, pageArgs } from "../components/Pager";
import { SearchBox } from "../components/SearchBox";
import { SegmentSummary } from "../components/SegmentSummary";
import { Badge, Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import { ALL_TYPENAMES } from "../lib/client";
import { formatDate, segmentPath } from "../lib/format";
import { plural } from "../lib/groups";

const PAGE_SIZE = 25;

const SegmentsQuery = graphql(`
  query Segments($search: String, $first: Int, $after: String, $last: Int, $before: String) {
    segments(search: $search, first: $first, after: $after, last: $last, before: $before) {
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
          search
          count
          warnings
          updatedAt
          filter {
            ...SegmentFilterFields
          }
        }
      }
    }
  }
`);

export function SegmentsList() {
  useTitle("Segments");
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const search = params.get("q") ?? "";
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: SegmentsQuery,
    variables: { search: search || null, ...pageArgs(params, PAGE_SIZE) },
    requestPolicy: "cache-and-network",
    context,
  });
  const notice = (location.state as { notice?: string } | null)?.notice;
  const connection = data?.segments;
  const rows = connection?.edges.map((e) => e.node) ?? [];

  return (
    <>
      <PageHeader
        title="Segments"
        actions={
          <Link className="button button-primary" to="/contacts">
            New segment from contacts
          </Link>
        }
      >
        {connection && (
          <p className="subtle" aria-live="polite">
            {plural(connection.totalCount, "segment")}
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
          label="Search segments"
          placeholder="Search segments…"
          value={search}
          onSearch={(q) => setParams(q ? { q } : {}, { replace: true })}
        />
      </div>
      {error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !data && fetching ? (
        <Loading label="Loading segments…" />
      ) : rows.length === 0 ? (
        <Empty>
          {search ? (
            <p>No segments match this search.</p>
          ) : (
            <p>
              No segments yet. A segment is a saved filter whose contacts are always current: filter
              the <Link to="/contacts">contacts list</Link> and choose Save as segment.
            </p>
          )}
        </Empty>
      ) : (
        <div className={`table-wrap${stale ? " is-stale" : ""}`}>
          <table className="table cards">
            <caption className="visually-hidden">Segments</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Filters</th>
                <th scope="col">Contacts now</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="col-name">
                    <Link to={segmentPath(s.id)}>{s.name}</Link>
                    {s.warnings.length > 0 && <Badge tone="warn">Needs attention</Badge>}
                  </th>
                  <td className="col-filters" data-label="Filters">
                    <SegmentSummary filter={s.filter} search={s.search} label={`Filters of ${s.name}`} />
                  </td>
                  <td data-label="Contacts now">{s.count}</td>
                  <td className="nowrap" data-label="Updated">
                    {formatDate(s.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && rows.length > 0 && <Pager pageInfo={connection.pageInfo} label="Segments pages" />}
    </>
  );
}
