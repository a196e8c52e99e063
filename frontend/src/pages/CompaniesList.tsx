import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { Pager, pageArgs } from "../components/Pager";
import { SearchBox } from "../components/SearchBox";
import { Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import type { CompanyOrderField, SortDirection } from "../gql/graphql";
import { ALL_TYPENAMES } from "../lib/client";
import { companyPath, contactPath, formatDate } from "../lib/format";

const PAGE_SIZE = 25;

const CompaniesQuery = graphql(`
  query Companies(
    $search: String
    $orderBy: CompanyOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    companies(
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
          id
          name
          industry
          website
          contactCount
          createdAt
          phone {
            international
          }
          primaryContact {
            id
            fullName
          }
        }
      }
    }
  }
`);

const SORTS = [
  { value: "NAME.ASC", label: "Name A–Z" },
  { value: "NAME.DESC", label: "Name Z–A" },
  { value: "CREATED_AT.DESC", label: "Newest first" },
  { value: "CREATED_AT.ASC", label: "Oldest first" },
  { value: "UPDATED_AT.DESC", label: "Recently updated" },
  { value: "UPDATED_AT.ASC", label: "Least recently updated" },
];
const FIELDS: CompanyOrderField[] = ["NAME", "CREATED_AT", "UPDATED_AT"];

export function CompaniesList() {
  useTitle("Companies");
  const [params, setParams] = useSearchParams();
  const sortParam = params.get("sort") as CompanyOrderField | null;
  const field: CompanyOrderField = sortParam && FIELDS.includes(sortParam) ? sortParam : "NAME";
  const direction: SortDirection = params.get("dir") === "DESC" ? "DESC" : "ASC";
  const search = params.get("q") ?? "";
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: CompaniesQuery,
    variables: { search: search || null, orderBy: { field, direction }, ...pageArgs(params, PAGE_SIZE) },
    requestPolicy: "cache-and-network",
    context,
  });

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

  const connection = data?.companies;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const sortByName = () =>
    update({ sort: null, dir: field === "NAME" && direction === "ASC" ? "DESC" : null });

  return (
    <>
      <PageHeader
        title="Companies"
        actions={
          <Link className="button button-primary" to="/companies/new">
            Add company
          </Link>
        }
      >
        {connection && (
          <p className="subtle" aria-live="polite">
            {connection.totalCount} compan{connection.totalCount === 1 ? "y" : "ies"}
            {search ? " match" : ""}
          </p>
        )}
      </PageHeader>
      <div className="toolbar" role="search">
        <SearchBox
          label="Search companies"
          placeholder="Search companies…"
          value={search}
          onSearch={(q) => update({ q }, true)}
        />
        <label className="inline-field">
          <span>Sort</span>
          <select
            value={`${field}.${direction}`}
            onChange={(e) => {
              const [f, d] = e.target.value.split(".");
              update({ sort: f === "NAME" ? null : f, dir: d === "DESC" ? "DESC" : null });
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
      {error && !data ? (
        <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !data && fetching ? (
        <Loading label="Loading companies…" />
      ) : rows.length === 0 ? (
        <Empty>
          {search ? (
            <p>No companies match this search.</p>
          ) : (
            <p>
              No companies yet. <Link to="/companies/new">Add the first company</Link>.
            </p>
          )}
        </Empty>
      ) : (
        <div className={`table-wrap${stale ? " is-stale" : ""}`}>
          <table className="table cards">
            <caption className="visually-hidden">Companies</caption>
            <thead>
              <tr>
                <th
                  scope="col"
                  aria-sort={field === "NAME" ? (direction === "ASC" ? "ascending" : "descending") : undefined}
                >
                  <button type="button" className="sort-button" onClick={sortByName}>
                    Name{field === "NAME" ? (direction === "ASC" ? " ▲" : " ▼") : ""}
                  </button>
                </th>
                <th scope="col">Industry</th>
                <th scope="col">Phone</th>
                <th scope="col">Website</th>
                <th scope="col">Contacts</th>
                <th scope="col">Primary contact</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <th scope="row" className="col-name">
                    <Link to={companyPath(c.id)}>{c.name}</Link>
                  </th>
                  <td data-label="Industry">{c.industry || <span className="subtle">—</span>}</td>
                  <td className="nowrap" data-label="Phone">
                    {c.phone?.international ?? <span className="subtle">—</span>}
                  </td>
                  <td className="col-email" data-label="Website">
                    {c.website ? (
                      <a href={c.website} target="_blank" rel="noreferrer noopener">
                        {c.website.replace(/^https?:\/\//, "")}
                      </a>
                    ) : (
                      <span className="subtle">—</span>
                    )}
                  </td>
                  <td data-label="Contacts">{c.contactCount}</td>
                  <td data-label="Primary contact">
                    {c.primaryContact ? (
                      <Link to={contactPath(c.primaryContact.id)}>{c.primaryContact.fullName}</Link>
                    ) : (
                      <span className="subtle">—</span>
                    )}
                  </td>
                  <td className="nowrap" data-label="Added">
                    {formatDate(c.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && rows.length > 0 && <Pager pageInfo={connection.pageInfo} label="Companies pages" />}
    </>
  );
}
