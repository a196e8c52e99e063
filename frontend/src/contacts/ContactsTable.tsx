import { useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import type { ContactOrderField, SortDirection } from "../gql/schema";
import {
  CONTACT_STATUSES,
  CONTACT_TYPES,
  PORTAL_STATUSES,
  companyPath,
  contactPath,
  formatDate,
} from "../lib/format";
import { Badge } from "../components/ui";
import { Avatar } from "../avatars/Avatar";
import type { ContactRowFragment } from "./contacts.generated";

export type Sort = { field: ContactOrderField; direction: SortDirection };

export type Selection = {
  ids: Set<string>;
  onChange: (ids: Set<string>) => void;
};

export function ContactsTable({
  rows,
  caption,
  sort,
  onSort,
  selection,
  stale,
  rowMenu,
}: {
  rows: ContactRowFragment[];
  caption: string;
  sort: Sort;
  onSort: (field: ContactOrderField) => void;
  selection?: Selection;
  stale?: boolean;
  /** Each row's options menu, in a narrow last column. */
  rowMenu?: (row: ContactRowFragment) => ReactNode;
}) {
  const selected = selection?.ids ?? new Set<string>();
  const selectedCount = rows.filter((r) => selected.has(r.id)).length;
  const allSelected = rows.length > 0 && selectedCount === rows.length;
  const ariaSort = (field: ContactOrderField) =>
    sort.field === field ? (sort.direction === "ASC" ? "ascending" : "descending") : undefined;
  const sortArrow = (field: ContactOrderField) =>
    sort.field === field ? (sort.direction === "ASC" ? " ▲" : " ▼") : "";

  return (
    <div className={`table-wrap${stale ? " is-stale" : ""}`}>
      <table className="table cards">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col" className="col-check">
                <input
                  type="checkbox"
                  aria-label="Select all contacts on this page"
                  checked={allSelected}
                  ref={(el) => {
                    if (el) el.indeterminate = selectedCount > 0 && !allSelected;
                  }}
                  onChange={(e) =>
                    selection.onChange(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())
                  }
                />
              </th>
            )}
            <th scope="col" aria-sort={ariaSort("NAME")}>
              <button type="button" className="sort-button" onClick={() => onSort("NAME")}>
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
              <button type="button" className="sort-button" onClick={() => onSort("LAST_CONTACTED_AT")}>
                Last contacted{sortArrow("LAST_CONTACTED_AT")}
              </button>
            </th>
            {rowMenu && (
              <th scope="col" className="col-options">
                <span className="visually-hidden">Options</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const phone = c.phones.find((p) => p.isPrimary) ?? c.phones[0];
            return (
              <tr key={c.id} className={selected.has(c.id) ? "is-selected" : undefined}>
                {selection && (
                  <td className="col-check">
                    <input
                      type="checkbox"
                      aria-label={`Select ${c.fullName}`}
                      checked={selected.has(c.id)}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(c.id);
                        else next.delete(c.id);
                        selection.onChange(next);
                      }}
                    />
                  </td>
                )}
                <th scope="row" className="col-name">
                  <Avatar name={c.fullName} url={c.avatarThumbnailUrl} />
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
                  <Badge
                    tone={
                      c.portal.status === "ACTIVE"
                        ? "good"
                        : c.portal.status === "INVITED"
                          ? "info"
                          : "muted"
                    }
                  >
                    {PORTAL_STATUSES[c.portal.status]}
                  </Badge>
                  {c.unreadMessageCount > 0 && (
                    <Link className="badge badge-warn unread-badge" to={`${contactPath(c.id)}#messages`}>
                      <span aria-hidden="true">✉ </span>
                      {c.unreadMessageCount}
                      <span className="visually-hidden"> unread message{c.unreadMessageCount === 1 ? "" : "s"}</span>
                    </Link>
                  )}
                </td>
                <td className="nowrap" data-label="Last contacted">
                  {formatDate(c.lastContactedAt)}
                </td>
                {rowMenu && <td className="col-options">{rowMenu(c)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Clicking a column's header: that column ascending, or the other way if it already is. */
export function nextSort(current: Sort, field: ContactOrderField): Record<string, string | null> {
  const direction = current.field === field && current.direction === "ASC" ? "DESC" : "ASC";
  return { sort: field === "NAME" ? null : field, dir: direction === "ASC" ? null : "DESC" };
}

/**
 * The rows ticked on this page of this view, and the setter. Selection belongs to one page
 * of one view: a new search, filter, sort or page starts with none.
 */
export function useSelection<Row extends { id: string }>(rows: readonly Row[]) {
  const [params] = useSearchParams();
  const view = params.toString();
  const [selection, setSelection] = useState({ view, ids: new Set<string>() });
  const ids = selection.view === view ? selection.ids : new Set<string>();
  return {
    selection: { ids, onChange: (next: Set<string>) => setSelection({ view, ids: next }) },
    selectedRows: rows.filter((row) => ids.has(row.id)),
  };
}
