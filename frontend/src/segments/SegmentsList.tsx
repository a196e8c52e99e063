import { Link, useSearchParams } from "react-router";
import { usePageQuery } from "../components/QueryState";
import { ListPage, ListSearch } from "../components/ListPage";
import { pageArgs } from "../components/Pager";
import { Badge } from "../components/ui";
import { formatDate, segmentPath } from "../lib/format";
import { SegmentSummary } from "./SegmentSummary";
import { SegmentsDocument } from "./segments.generated";

const PAGE_SIZE = 25;

export function SegmentsList() {
  const [params] = useSearchParams();
  const search = params.get("q") ?? "";
  const query = usePageQuery(SegmentsDocument, { search: search || null, ...pageArgs(params, PAGE_SIZE) });

  return (
    <ListPage
      title="Segments"
      noun={["segment", "segments"]}
      filtered={Boolean(search)}
      actions={
        <Link className="button button-primary" to="/contacts">
          New segment from contacts
        </Link>
      }
      toolbar={<ListSearch label="Search segments" placeholder="Search segments…" />}
      query={query}
      connection={(data) => data.segments}
      empty={
        search ? (
          <p>No segments match this search.</p>
        ) : (
          <p>
            No segments yet. A segment is a saved filter whose contacts are always current: filter
            the <Link to="/contacts">contacts list</Link> and choose Save as segment.
          </p>
        )
      }
      head={
        <>
          <th scope="col">Name</th>
          <th scope="col">Filters</th>
          <th scope="col">Contacts now</th>
          <th scope="col">Updated</th>
        </>
      }
      cells={(segment) => (
        <>
          <th scope="row" className="col-name">
            <Link to={segmentPath(segment.id)}>{segment.name}</Link>
            {segment.warnings.length > 0 && <Badge tone="warn">Needs attention</Badge>}
          </th>
          <td className="col-filters" data-label="Filters">
            <SegmentSummary
              filter={segment.filter}
              search={segment.search}
              label={`Filters of ${segment.name}`}
            />
          </td>
          <td data-label="Contacts now">{segment.count}</td>
          <td className="nowrap" data-label="Updated">
            {formatDate(segment.updatedAt)}
          </td>
        </>
      )}
    />
  );
}
