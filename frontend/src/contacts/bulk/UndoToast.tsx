import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useMutation } from "urql";
import { ALL_CONTEXT } from "../../lib/client";
import { mutationProblem } from "../../lib/problems";
import { SetPrimaryContactDocument } from "../contacts.generated";
import {
  RestoreContactToCompanyDocument,
  StartBulkOperationDocument,
  type BulkOperationFieldsFragment,
} from "./bulk.generated";
import { contactCount } from "./labels";
import { useBulkOperation } from "./useBulkOperation";
import "./bulk.css";

/** How long "Undo" is offered, unless the pointer or the focus rests on the toast. */
export const UNDO_SECONDS = 8;
const SAID_SECONDS = 5;

export type ArchivedContacts = {
  /** "Mia Jones archived.", "Archived 3 contacts." */
  text: string;
  /** Exactly the contacts this archive changed. */
  ids: string[];
  /** The company whose primary contact the one archived contact was: Undo gives the role back. */
  primaryOf?: string | null;
};

type Toast = { serial: number; text: ReactNode; undo?: ArchivedContacts; tone: "ok" | "error" };

/**
 * "Undo" after an archive: a toast at the foot of the screen, said politely by screen readers,
 * that never takes the focus and goes after a few seconds (not while the pointer is on it or
 * the focus in it). Undo restores exactly the contacts archived (and one primary contact's
 * role, when the company has none since).
 */
export function useUndoArchive(onRestored: () => void): {
  offerUndo: (archived: ArchivedContacts) => void;
  toast: ReactNode;
} {
  const [toast, setToast] = useState<Toast | null>(null);
  const serial = useRef(0);
  const show = useCallback((next: Omit<Toast, "serial">) => {
    serial.current += 1;
    setToast({ ...next, serial: serial.current });
  }, []);
  const offerUndo = useCallback((undo: ArchivedContacts) => show({ text: undo.text, undo, tone: "ok" }), [show]);
  const close = useCallback(() => setToast(null), []);
  return {
    offerUndo,
    toast: (
      <div className="toast-region" role="status" aria-live="polite">
        {toast && (
          <ToastBody
            key={toast.serial}
            toast={toast}
            onClose={close}
            onSaid={(text, tone) => show({ text, tone })}
            onRestored={onRestored}
          />
        )}
      </div>
    ),
  };
}

function ToastBody({
  toast,
  onClose,
  onSaid,
  onRestored,
}: {
  toast: Toast;
  onClose: () => void;
  onSaid: (text: string, tone: "ok" | "error") => void;
  onRestored: () => void;
}) {
  const [held, setHeld] = useState(false);
  const [restoring, setRestoring] = useState<BulkOperationFieldsFragment | null>(null);
  const [busy, setBusy] = useState(false);
  const [, restoreOne] = useMutation(RestoreContactToCompanyDocument);
  const [, setPrimary] = useMutation(SetPrimaryContactDocument);
  const [, start] = useMutation(StartBulkOperationDocument);
  const seconds = toast.undo ? UNDO_SECONDS : SAID_SECONDS;

  useEffect(() => {
    if (held || busy) return;
    const timer = window.setTimeout(onClose, seconds * 1000);
    return () => window.clearTimeout(timer);
  }, [held, busy, seconds, onClose]);

  useBulkOperation(restoring, (operation) => {
    onRestored();
    if (operation.state !== "DONE" || operation.failed > 0) onSaid("Some contacts could not be restored.", "error");
    else onSaid(`Restored ${contactCount(operation.changed)}.`, "ok");
  });

  async function undo(archived: ArchivedContacts) {
    setBusy(true);
    if (archived.ids.length === 1) {
      onSaid(await restoreOneContact(archived), "ok");
      onRestored();
      return;
    }
    const result = await start(
      { input: { action: "RESTORE", selection: { contactIds: archived.ids } } },
      ALL_CONTEXT,
    );
    const payload = result.data?.startBulkOperation;
    const problem = mutationProblem(result, payload, "Could not restore them.");
    if (problem || !payload?.operation) onSaid(problem ?? "Could not restore them.", "error");
    else setRestoring(payload.operation);
  }

  /** Restores the one contact, and gives them back the primary role if nobody took it since. */
  async function restoreOneContact(archived: ArchivedContacts): Promise<string> {
    const result = await restoreOne({ input: { id: archived.ids[0] } }, ALL_CONTEXT);
    const payload = result.data?.restoreContact;
    const problem = mutationProblem(result, payload, "Could not restore the contact.");
    const contact = payload?.contact;
    if (problem || !contact) return problem ?? "Could not restore the contact.";
    const company = contact.company;
    if (!archived.primaryOf || !company || company.primaryContact) return `${contact.fullName} restored.`;
    const made = await setPrimary({ input: { contactId: contact.id } }, ALL_CONTEXT);
    return mutationProblem(made, made.data?.setPrimaryContact, "failed")
      ? `${contact.fullName} restored, but could not be made the primary contact of ${company.name} again.`
      : `${contact.fullName} restored, and is the primary contact of ${company.name} again.`;
  }

  return (
    <div
      className={`toast${toast.tone === "error" ? " toast-error" : ""}`}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setHeld(false);
      }}
    >
      <span className="toast-text">
        {restoring ? `Restoring ${contactCount(toast.undo?.ids.length ?? 0)}…` : toast.text}
      </span>
      {toast.undo && !restoring && (
        <button
          type="button"
          className="button button-small"
          disabled={busy}
          onClick={() => toast.undo && void undo(toast.undo)}
        >
          Undo
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={onClose}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
