import { useMemo, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { Pager, pageArgs } from "../components/Pager";
import { SearchBox } from "../components/SearchBox";
import { Badge, Empty, ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import type {
  ContactFilter,
  ContactOrderField,
  ContactStatus,
  ContactType,
  SortDirection,
} from "../gql/graphql";
import { ALL_TYPENAMES } from "../lib/client";
import { ArchiveContact, RestoreContact } from "../lib/mutations";
import {
  CONTACT_STATUSES,
  CONTACT_TYPES,
  PORTAL_STATUSES,
  companyPath,
  contactPath,
  formatDate,
  keys,
} from "../lib/format";

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
          id
          fullName
          type
          status
          email
          archived
          isPrimaryContact
          lastContactedAt
          company {
            id
            name
          }
          phones {
            id
            international
            isPrimary
          }
          portal {
            status
          }
        }
      }
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

const SORT_FIELDS: ContactOrderField[] = ["NAME", "CREATED_AT", "UPDATED_AT", "LAST_CONTACTED_AT"];

type Show = "active" | "archived" | "all";

function readView(params: URLSearchParams) {
  const sortParam = params.get("sort") as ContactOrderField | null;
  const field: ContactOrderField =
    sortParam && SORT_FIELDS.includes(sortParam) ? sortParam : "NAME";
  const direction: SortDirection = params.get("dir") === "DESC" ? "DESC" : "ASC";
  const show = (["archived", "all"].includes(params.get("show") ?? "")
    ? params.get("show")
    : "active") as Show;
  const type = params.get("type") as ContactType | null;
  const status = params.get("status") as ContactStatus | null;
  const filter: ContactFilter = {
    archived: show === "active" ? false : show === "archived" ? true : null,
  };
  if (type && type in CONTACT_TYPES) filter.type = [type];
  if (status && status in CONTACT_STATUSES) filter.status = [status];
  const company = params.get("company");
  if (company) filter.companyId = company;
  return { field, direction, show, type, status, company, filter, search: params.get("q") ?? "" };
}

export function ContactsList() {
  useTitle("Contacts");
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const context = useMemo(() => ({ additionalTypenames: ALL_TYPENAMES }), []);
  const [{ data, fetching, error, stale }, refetch] = useQuery({
    query: ContactsQuery,
    variables: {
      filter: view.filter,
      search: view.search || null,
      orderBy: { field: view.field, direction: view.direction },
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

  function sortBy(field: ContactOrderField) {
    const direction = view.field === field && view.direction === "ASC" ? "DESC" : "ASC";
    update({ sort: field === "NAME" ? null : field, dir: direction === "ASC" ? null : "DESC" });
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
  const allSelected = rows.length > 0 && selectedRows.length === rows.length;
  const setSelected = (ids: Set<string>) => setSelection({ key: viewKey, ids });

  const location = useLocation();
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(() => {
    const text = (location.state as { notice?: string } | null)?.notice;
    return text ? { tone: "ok", text } : null;
  });
  const [{ fetching: archiving }, archive] = useMutation(ArchiveContact);
  const [{ fetching: restoring }, restore] = useMutation(RestoreContact);

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

  const ariaSort = (field: ContactOrderField) =>
    view.field === field ? (view.direction === "ASC" ? "ascending" : "descending") : undefined;
  const sortArrow = (field: ContactOrderField) =>
    view.field === field ? (view.direction === "ASC" ? " ▲" : " ▼") : "";

  const filtered = Boolean(view.search || view.type || view.status || view.company);

  return (
    <>
      <PageHeader
        title="Contacts"
        actions={
          <Link className="button button-primary" to="/contacts/new">
            Add contact
          </Link>
        }
      >
        {connection && (
          <p className="subtle" aria-live="polite">
            {connection.totalCount} {view.show === "archived" ? "archived " : ""}
            contact{connection.totalCount === 1 ? "" : "s"}
            {filtered ? " match" : ""}
          </p>
        )}
      </PageHeader>

      <div className="toolbar" role="search">
        <SearchBox
          label="Search contacts"
          placeholder="Search name, email, company, phone…"
          value={view.search}
          onSearch={(q) => update({ q }, true)}
        />
        <label className="inline-field">
          <span>Type</span>
          <select value={view.type ?? ""} onChange={(e) => update({ type: e.target.value })}>
            <option value="">All types</option>
            {keys(CONTACT_TYPES).map((t) => (
              <option key={t} value={t}>
                {CONTACT_TYPES[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Status</span>
          <select value={view.status ?? ""} onChange={(e) => update({ status: e.target.value })}>
            <option value="">All statuses</option>
            {keys(CONTACT_STATUSES).map((s) => (
              <option key={s} value={s}>
                {CONTACT_STATUSES[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Show</span>
          <select
            value={view.show}
            onChange={(e) => update({ show: e.target.value === "active" ? null : e.target.value })}
          >
            <option value="active">Active contacts</option>
            <option value="archived">Archived contacts</option>
            <option value="all">Active and archived</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Sort</span>
          <select
            value={`${view.field}.${view.direction}`}
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

      {view.company && (
        <p className="subtle">
          Showing the contacts of one company.{" "}
          <button type="button" className="link-button" onClick={() => update({ company: null })}>
            Show all companies
          </button>
        </p>
      )}
      <div className="selection-bar" aria-live="polite">
        {selectedRows.length > 0 ? (
          <>
            <span>{selectedRows.length} selected</span>
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
            <p>No contacts match this search. Try fewer words or clear the filters.</p>
          ) : view.show === "archived" ? (
            <p>No archived contacts.</p>
          ) : (
            <p>
              No contacts yet. <Link to="/contacts/new">Add the first contact</Link>.
            </p>
          )}
        </Empty>
      ) : (
        <div className={`table-wrap${stale ? " is-stale" : ""}`}>
          <table className="table cards">
            <caption className="visually-hidden">Contacts</caption>
            <thead>
              <tr>
                <th scope="col" className="col-check">
                  <input
                    type="checkbox"
                    aria-label="Select all contacts on this page"
                    checked={allSelected}
                    ref={(el) => {
                      if (el) el.indeterminate = selectedRows.length > 0 && !allSelected;
                    }}
                    onChange={(e) =>
                      setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())
                    }
                  />
                </th>
                <th scope="col" aria-sort={ariaSort("NAME")}>
                  <button type="button" className="sort-button" onClick={() => sortBy("NAME")}>
                    Name{sortArrow("NAME")}
                  </button>
                </th>
                <th scope="col">Company</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Email</th>
                <th scope="col">Primary phone</th>
                <th scope="col">Portal</th>
                <th scope="col" aria-sort={ariaSort("LAST_CONTACTED_AT")}>
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => sortBy("LAST_CONTACTED_AT")}
                  >
                    Last contacted{sortArrow("LAST_CONTACTED_AT")}
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const phone = c.phones.find((p) => p.isPrimary) ?? c.phones[0];
                return (
                  <tr key={c.id} className={selected.has(c.id) ? "is-selected" : undefined}>
                    <td className="col-check">
                      <input
                        type="checkbox"
                        aria-label={`Select ${c.fullName}`}
                        checked={selected.has(c.id)}
                        onChange={(e) => {
                          const next = new Set(selected);
                          if (e.target.checked) next.add(c.id);
                          else next.delete(c.id);
                          setSelected(next);
                        }}
                      />
                    </td>
                    <th scope="row" className="col-name">
                      <Link to={contactPath(c.id)}>{c.fullName}</Link>
                      {c.archived && <Badge tone="muted">Archived</Badge>}
                    </th>
                    <td className="col-company" data-label="Company">
                      {c.company ? (
                        <Link to={companyPath(c.company.id)}>{c.company.name}</Link>
                      ) : (
                        <span className="subtle">—</span>
                      )}
                    </td>
                    <td data-label="Type">{CONTACT_TYPES[c.type]}</td>
                    <td data-label="Status">{CONTACT_STATUSES[c.status]}</td>
                    <td className="col-email" data-label="Email">
                      {c.email ?? <span className="subtle">—</span>}
                    </td>
                    <td className="nowrap" data-label="Phone">
                      {phone?.international ?? <span className="subtle">—</span>}
                    </td>
                    <td data-label="Portal">
                      <Badge tone={c.portal.status === "ACTIVE" ? "good" : c.portal.status === "INVITED" ? "info" : "muted"}>
                        {PORTAL_STATUSES[c.portal.status]}
                      </Badge>
                    </td>
                    <td className="nowrap" data-label="Last contacted">
                      {formatDate(c.lastContactedAt)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {connection && rows.length > 0 && <Pager pageInfo={connection.pageInfo} label="Contacts pages" />}
    </>
  );
}
