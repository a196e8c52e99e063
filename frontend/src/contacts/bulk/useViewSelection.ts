import { useState } from "react";
import type { ContactFilter, ContactSelectionInput } from "../../gql/schema";
import type { Selection } from "../ContactsTable";

/** What is known of a ticked row when it was ticked: enough to undo an archive exactly, and
 * the company whose primary contact it is. */
type Ticked = { archived: boolean; primaryOf: string | null };

type Row = { id: string; archived: boolean; isPrimaryContact: boolean; company?: { name: string } | null };

type State =
  | { key: string; kind: "ids"; ids: Map<string, Ticked> }
  | { key: string; kind: "view"; exceptIds: Set<string> };

export type ViewSelection = {
  /** For the table's checkboxes. */
  table: Selection;
  /** How many contacts are selected: ticked rows, or the view less those unticked. */
  count: number;
  /** The whole view ("Select all N matching"), rather than rows ticked one by one. */
  wholeView: boolean;
  /** The ticked contacts (empty for a whole view). */
  ids: string[];
  /** Of the ticked contacts, those that were not archived when ticked. */
  activeIds: string[];
  /** The companies whose primary contact is among the ticked contacts. */
  primaryOf: string[];
  /** How many rows this page shows, and ticking them all (phones have no header checkbox). */
  rowsOnPage: number;
  selectPage: () => void;
  selectWholeView: () => void;
  clear: () => void;
  /** The selection as the bulk API takes it. */
  input: ContactSelectionInput;
};

/**
 * The contacts ticked in one view of the list (its filter and search), kept by id while the
 * user pages or sorts, and cleared when the filter or search change. "Select all N matching"
 * turns it into the whole view; unticking a row then leaves that row out (`exceptIds`).
 */
export function useViewSelection(
  rows: readonly Row[],
  view: { filter: ContactFilter; search: string },
  total: number,
): ViewSelection {
  const key = JSON.stringify([view.filter, view.search]);
  const [state, setState] = useState<State>({ key, kind: "ids", ids: new Map() });
  const empty: State = { key, kind: "ids", ids: new Map() };
  // Forgotten, not just hidden, when the view changes: going back to it starts afresh too.
  if (state.key !== key) setState(empty);
  const current = state.key === key ? state : empty;
  const clear = () => setState(empty);

  const selectWholeView = () => setState({ key, kind: "view", exceptIds: new Set() });
  const { table, ...chosen } =
    current.kind === "view"
      ? wholeView(rows, current.exceptIds, total, view, (exceptIds) => setState({ key, kind: "view", exceptIds }))
      : ticked(rows, current.ids, (ids) => setState({ key, kind: "ids", ids }));
  return {
    table,
    ...chosen,
    rowsOnPage: rows.length,
    selectPage: () => table.onChange(new Set([...table.ids, ...rows.map((r) => r.id)])),
    selectWholeView,
    clear,
  };
}

type Chosen = Pick<ViewSelection, "table" | "count" | "wholeView" | "ids" | "activeIds" | "primaryOf" | "input">;

/** The whole view, less the rows unticked. */
function wholeView(
  rows: readonly Row[],
  exceptIds: Set<string>,
  total: number,
  view: { filter: ContactFilter; search: string },
  setExceptIds: (exceptIds: Set<string>) => void,
): Chosen {
  return {
    table: {
      ids: new Set(rows.filter((r) => !exceptIds.has(r.id)).map((r) => r.id)),
      onChange: (tickedIds) => {
        const next = new Set(exceptIds);
        for (const row of rows) {
          if (tickedIds.has(row.id)) next.delete(row.id);
          else next.add(row.id);
        }
        setExceptIds(next);
      },
    },
    count: Math.max(0, total - exceptIds.size),
    wholeView: true,
    ids: [],
    activeIds: [],
    primaryOf: [],
    input: {
      view: true,
      filter: view.filter,
      search: view.search || null,
      exceptIds: exceptIds.size ? [...exceptIds] : null,
    },
  };
}

/** Rows ticked one by one, on this page or others. */
function ticked(
  rows: readonly Row[],
  ids: Map<string, Ticked>,
  setIds: (ids: Map<string, Ticked>) => void,
): Chosen {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    table: {
      ids: new Set(ids.keys()),
      onChange: (tickedIds) => {
        const next = new Map<string, Ticked>();
        for (const id of tickedIds) next.set(id, ids.get(id) ?? known(byId.get(id)));
        setIds(next);
      },
    },
    count: ids.size,
    wholeView: false,
    ids: [...ids.keys()],
    activeIds: [...ids].filter(([, row]) => !row.archived).map(([id]) => id),
    primaryOf: [...ids.values()].flatMap((row) => (row.primaryOf ? [row.primaryOf] : [])),
    input: { contactIds: [...ids.keys()] },
  };
}

function known(row: Row | undefined): Ticked {
  const primaryOf = row?.isPrimaryContact ? (row.company?.name ?? null) : null;
  return { archived: row?.archived ?? false, primaryOf };
}
