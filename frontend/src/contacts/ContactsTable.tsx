import { useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import type { ContactOrderField, SortDirection } from "../gql/schema";
import { contactPath } from "../lib/format";
import { Badge } from "../components/ui";
import { Avatar } from "../avatars/Avatar";
import { CONTACT_COLUMNS, DEFAULT_CONTACT_COLUMNS, type ContactColumn } from "./columns";
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
  columns = DEFAULT_CONTACT_COLUMNS,
}: {
  rows: ContactRowFragment[];
  caption: string;
  sort: Sort;
  onSort: (field: ContactOrderField) => void;
  selection?: Selection;
  stale?: boolean;
  /** Each row's options menu, in a narrow last column. */
  rowMenu?: (row: ContactRowFragment) => ReactNode;
  /** The optional columns after the name, in order. */
  columns?: readonly ContactColumn[];
}) {
  const selected = selection?.ids ?? new Set<string>();
  const selectedCount = rows.filter((r) => selected.has(r.id)).length;
  const allSelected = rows.length > 0 && selectedCount === rows.length;
  const ariaSort = (field: ContactOrderField) =>
    sort.field === field ? (sort.direction === "ASC" ? "ascending" : "descending") : undefined;
  const sortArrow = (field: ContactOrderField) =>
    sort.field === field ? (sort.direction === "ASC" ? " ▲" : " ▼") : "";
  const header = (label: string, field?: ContactOrderField) =>
    field ? (
      <button type="button" className="sort-button" onClick={() => onSort(field)}>
        {label}
        {sortArrow(field)}
      </button>
    ) : (
      label
    );

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
                  onChange={(e) => {
                    // Only this page's rows: those ticked on other pages stay ticked.
                    const next = new Set(selected);
                    for (const row of rows) {
                      if (e.target.checked) next.add(row.id);
                      else next.delete(row.id);
                    }
                    selection.onChange(next);
                  }}
                />
              </th>
            )}
            <th scope="col" aria-sort={ariaSort("NAME")}>
              {header("Name", "NAME")}
            </th>
            {columns.map((column) => {
              const spec = CONTACT_COLUMNS[column];
              return (
                <th key={column} scope="col" aria-sort={spec.sort && ariaSort(spec.sort)}>
                  {header(spec.label, spec.sort)}
                </th>
              );
            })}
            {rowMenu && (
              <th scope="col" className="col-options">
                <span className="visually-hidden">Options</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
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
                <span className="name-cell">
                  <Avatar name={c.fullName} url={c.avatarThumbnailUrl} />
                  <Link to={contactPath(c.id)}>{c.fullName}</Link>
                  {c.archived && <Badge tone="muted">Archived</Badge>}
                </span>
              </th>
              {columns.map((column) => {
                const spec = CONTACT_COLUMNS[column];
                return (
                  <td key={column} className={spec.className} data-label={spec.label}>
                    {spec.cell(c)}
                  </td>
                );
              })}
              {rowMenu && <td className="col-options">{rowMenu(c)}</td>}
            </tr>
          ))}
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
