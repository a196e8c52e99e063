import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { ListName } from "../gql/schema";
import { ListColumnsDocument, SetListColumnsDocument } from "../lib/listColumns.generated";
import { mutationProblem } from "../lib/problems";
import { FormDialog, useOnOpen } from "./dialogs";

export type ListColumns<Column extends string> = {
  /** The optional columns shown, in order: the user's choice, else the list's default. */
  columns: Column[];
  /** Keeps a choice on the user's account (null: back to the default); resolves to what went wrong. */
  save: (columns: Column[] | null) => Promise<string | null>;
};

/** The optional columns the signed-in user shows in a list, kept on their account. */
export function useListColumns<Column extends string>(
  list: ListName,
  known: readonly Column[],
  defaults: readonly Column[],
): ListColumns<Column> {
  const [{ data }] = useQuery({ query: ListColumnsDocument, variables: { list } });
  const [, setListColumns] = useMutation(SetListColumnsDocument);
  const me = data?.me && "listColumns" in data.me ? data.me : null;
  const chosen = me?.listColumns ?? defaults;
  const columns = chosen.filter((column): column is Column => known.includes(column as Column));
  return {
    columns,
    async save(next) {
      const result = await setListColumns({ input: { list, columns: next }, list });
      return mutationProblem(result, result.data?.setListColumns, "Could not keep the columns.");
    },
  };
}

/** The "Columns" button and its dialog: show, hide and order a list's optional columns. */
export function ColumnChooser<Column extends string>({
  noun,
  labels,
  defaults,
  value,
}: {
  /** What the list holds, e.g. "contacts". */
  noun: string;
  /** Every optional column and its name, in the order the list offers them. */
  labels: Record<Column, string>;
  defaults: readonly Column[];
  value: ListColumns<Column>;
}) {
  const [open, setOpen] = useState(false);
  const known = Object.keys(labels) as Column[];
  const [order, setOrder] = useState<Column[]>([]);
  const [shown, setShown] = useState<Set<Column>>(new Set());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  function start(columns: readonly Column[]) {
    setOrder([...columns, ...known.filter((c) => !columns.includes(c))]);
    setShown(new Set(columns));
    setProblem(null);
  }
  useOnOpen(open, () => start(value.columns));

  function move(column: Column, step: -1 | 1) {
    const at = order.indexOf(column);
    const next = [...order];
    [next[at], next[at + step]] = [next[at + step], next[at]];
    setOrder(next);
  }

  async function submit() {
    const columns = order.filter((c) => shown.has(c));
    const isDefault = columns.join() === defaults.join();
    setBusy(true);
    const failed = await value.save(isDefault ? null : columns);
    setBusy(false);
    if (failed) setProblem(failed);
    else setOpen(false);
  }

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Columns
      </button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={`Columns of the ${noun} list`}
        description="Tick the columns to show and move them into the order you want. Your choice is kept for your account, in every browser."
        submitLabel="Save columns"
        busy={busy}
        errors={problem ? [problem] : []}
        onSubmit={submit}
      >
        <ol className="column-choices">
          {order.map((column, index) => (
            <li key={column}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={shown.has(column)}
                  onChange={(e) => {
                    const next = new Set(shown);
                    if (e.target.checked) next.add(column);
                    else next.delete(column);
                    setShown(next);
                  }}
                />
                {labels[column]}
              </label>
              <span className="column-moves">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Move ${labels[column]} up`}
                  disabled={index === 0}
                  onClick={() => move(column, -1)}
                >
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Move ${labels[column]} down`}
                  disabled={index === order.length - 1}
                  onClick={() => move(column, 1)}
                >
                  <span aria-hidden="true">↓</span>
                </button>
              </span>
            </li>
          ))}
        </ol>
        <p>
          <button type="button" className="button button-quiet button-small" onClick={() => start(defaults)}>
            Back to the default columns
          </button>
        </p>
      </FormDialog>
    </>
  );
}
