import { lazy, Suspense, useCallback, useState, type ReactNode } from "react";
import { useMutation } from "urql";
import { ActionsMenu, type MenuAction } from "../../components/ActionsMenu";
import type { BulkAction } from "../../gql/schema";
import { ALL_CONTEXT } from "../../lib/client";
import { countText } from "../../lib/format";
import { CancelBulkOperationDocument, type BulkOperationFieldsFragment } from "./bulk.generated";
import { BULK_ACTIONS } from "./labels";
import { isRunning, useBulkOperation } from "./useBulkOperation";
import type { ViewSelection } from "./useViewSelection";
import "./bulk.css";

const BulkActionDialog = lazy(() => import("./BulkActionDialog"));

/** An operation started from the bar, with the contacts an archive's Undo would restore. */
export type StartedOperation = { operation: BulkOperationFieldsFragment; undoIds: string[] | null };

/**
 * The bar above the contacts table: how many are selected, "Select all N matching", the
 * actions for all of them, "Clear selection"; while an action runs, its progress; otherwise
 * the page's last notice.
 */
export function BulkBar({
  selection,
  total,
  notice,
  onAddToGroup,
  onFinished,
}: {
  selection: ViewSelection;
  /** The view's size, and whether the server estimated it (a large view). */
  total: { count: number; estimated: boolean };
  notice: ReactNode;
  /** Adds ticked contacts to a group at once (the group dialog that can also make one). */
  onAddToGroup: () => void;
  onFinished: (done: StartedOperation) => void;
}) {
  const [chosen, setChosen] = useState<BulkAction | null>(null);
  const [started, setStarted] = useState<StartedOperation | null>(null);
  const finished = useCallback(
    (operation: BulkOperationFieldsFragment) => {
      setStarted(null);
      if (started) onFinished({ ...started, operation });
    },
    [started, onFinished],
  );
  const operation = useBulkOperation(started?.operation ?? null, finished);
  const { count } = selection;
  // A whole view is as exact as the list's count; the confirmation counts it exactly.
  const estimated = selection.wholeView && total.estimated;
  const contacts = `${countText(count, estimated)} contact${count === 1 ? "" : "s"}`;

  const actions: MenuAction[] = (Object.keys(BULK_ACTIONS) as BulkAction[]).map((action) => ({
    label: BULK_ACTIONS[action].menu,
    danger: action === "DELETE",
    separatorBefore: action === "INVITE" || action === "DELETE",
    onSelect: () => (action === "ADD_TO_GROUP" && !selection.wholeView ? onAddToGroup() : setChosen(action)),
  }));

  return (
    <div className="selection-bar bulk-bar">
      {operation && isRunning(operation) ? (
        <Progress operation={operation} />
      ) : count > 0 ? (
        <>
          <span className="bulk-count" aria-live="polite">
            {countText(count, estimated)} selected
          </span>
          {!selection.wholeView && count < total.count && (
            <button type="button" className="button button-quiet" onClick={selection.selectWholeView}>
              Select all {countText(total.count, total.estimated)} matching
            </button>
          )}
          <ActionsMenu label={`Actions for ${contacts}`} actions={actions} />
          <button type="button" className="button button-quiet" onClick={selection.clear}>
            Clear selection
          </button>
        </>
      ) : (
        <>
          {notice}
          {selection.rowsOnPage > 0 && (
            <button type="button" className="button button-small bulk-select-page" onClick={selection.selectPage}>
              Select this page
            </button>
          )}
        </>
      )}
      {chosen && (
        <Suspense fallback={null}>
          <BulkActionDialog
            open
            onOpenChange={(open) => !open && setChosen(null)}
            action={chosen}
            contacts={contacts}
            selection={selection.input}
            wholeView={selection.wholeView}
            primaryOf={selection.primaryOf}
            onStarted={(started) =>
              setStarted({
                operation: started,
                undoIds: chosen === "ARCHIVE" && !selection.wholeView ? selection.activeIds : null,
              })
            }
          />
        </Suspense>
      )}
    </div>
  );
}

/** "Setting status… 4,500 of 12,000", a progress bar, and Stop. */
function Progress({ operation }: { operation: BulkOperationFieldsFragment }) {
  const [{ fetching }, cancel] = useMutation(CancelBulkOperationDocument);
  const label = `${BULK_ACTIONS[operation.action].running}…`;
  const count = `${operation.processed.toLocaleString("en-GB")} of ${operation.total.toLocaleString("en-GB")}`;
  return (
    <div className="bulk-progress" role="status">
      {/* Said once as it starts; the count, changing each second, is shown but not read out. */}
      <span>
        {label} <span aria-hidden="true">{count}</span>
      </span>
      <progress aria-label={`${label} ${count}`} max={Math.max(operation.total, 1)} value={operation.processed} />
      <button
        type="button"
        className="button button-small"
        disabled={fetching}
        onClick={() => void cancel({ id: operation.id }, ALL_CONTEXT)}
      >
        Stop
      </button>
    </div>
  );
}
