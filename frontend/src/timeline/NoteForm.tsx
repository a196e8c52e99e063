import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { NO_ERRORS, type FormErrors } from "../components/dialogs";
import { describedBy } from "../components/ui";
import type { NoteKind } from "../gql/schema";
import { NoteKindIcon } from "./icons";
import { NOTE_KINDS, SAVE_LABELS } from "./kinds";
import { toLocalInput } from "./time";

/** What the form holds; `when` is a datetime-local value, or null for "now". */
export type NoteValues = { kind: NoteKind; body: string; when: string | null };

/** Asks the composer to take this kind and the focus ("Log a call"); a new `key` asks again. */
export type ComposeRequest = { kind: NoteKind; key: number };

/** The fields the server's errors can point at; any other error shows above the buttons. */
export const NOTE_FIELDS = ["kind", "body", "occurredAt"];

/**
 * A note's kind, text and time: the timeline's composer, and a note being edited.
 * `onSubmit` resolves to the server's errors, or null when it saved (the composer then
 * starts again from `initial`).
 */
export function NoteForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  request,
  autoFocus,
  label,
}: {
  initial: NoteValues;
  /** The button's words; by default they follow the kind ("Log call"). */
  submitLabel?: string;
  onSubmit: (values: NoteValues) => Promise<FormErrors | null>;
  onCancel?: () => void;
  request?: ComposeRequest | null;
  autoFocus?: boolean;
  label: string;
}) {
  const uid = useId();
  const [values, setValues] = useState<NoteValues>(() => ({ ...initial, kind: request?.kind ?? initial.kind }));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [focusWhen, setFocusWhen] = useState(false);
  const [handled, setHandled] = useState(request?.key);
  const text = useRef<HTMLTextAreaElement>(null);

  if (request && request.key !== handled) {
    setHandled(request.key);
    setValues((current) => ({ ...current, kind: request.kind }));
  }
  useEffect(() => {
    if (!request || !text.current) return;
    text.current.focus({ preventScroll: true });
    text.current.scrollIntoView({ block: "center" });
  }, [request]);

  const set = (changes: Partial<NoteValues>) => setValues((current) => ({ ...current, ...changes }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (values.when !== null && !values.when) {
      setErrors({ fields: { occurredAt: "Give the date and time, or choose Now." }, general: [] });
      return;
    }
    setBusy(true);
    const problems = await onSubmit(values);
    setBusy(false);
    setErrors(problems ?? NO_ERRORS);
    if (!problems) {
      setValues(initial);
      setFocusWhen(false);
    }
  }

  function submitOnCtrlEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  }

  const ids = { body: `${uid}-body`, when: `${uid}-when`, kind: `${uid}-kind` };
  const { fields } = errors;
  return (
    <form
      className="note-form"
      aria-label={label}
      noValidate
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === "Escape" && onCancel) onCancel();
      }}
    >
      <fieldset className="note-kinds" aria-describedby={fields.kind ? `${ids.kind}-error` : undefined}>
        <legend className="visually-hidden">Kind</legend>
        {(Object.keys(NOTE_KINDS) as NoteKind[]).map((kind) => (
          <label key={kind} className="note-kind">
            <input
              type="radio"
              name={`${uid}-kind`}
              value={kind}
              checked={values.kind === kind}
              onChange={() => set({ kind })}
            />
            <NoteKindIcon kind={kind} />
            {NOTE_KINDS[kind]}
          </label>
        ))}
      </fieldset>
      {fields.kind && (
        <p className="field-error" id={`${ids.kind}-error`}>
          {fields.kind}
        </p>
      )}

      <div className="field">
        <label htmlFor={ids.body}>Note</label>
        <textarea
          ref={text}
          id={ids.body}
          className="note-text"
          rows={3}
          value={values.body}
          autoFocus={autoFocus}
          placeholder="What was said, what happens next…"
          aria-invalid={fields.body ? true : undefined}
          aria-describedby={describedBy(ids.body, fields.body)}
          onChange={(e) => set({ body: e.target.value })}
          onKeyDown={submitOnCtrlEnter}
        />
        {fields.body && (
          <p className="field-error" id={`${ids.body}-error`}>
            {fields.body}
          </p>
        )}
      </div>

      <div className="note-form-foot">
        <div className="field note-when">
          {values.when === null ? (
            <>
              <span className="field-label">When</span>
              <span className="input-with">
                <span>Now</span>
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => {
                    set({ when: toLocalInput(Date.now()) });
                    setFocusWhen(true);
                  }}
                >
                  Change time
                </button>
              </span>
            </>
          ) : (
            <>
              <label htmlFor={ids.when}>When</label>
              <span className="input-with">
                <input
                  id={ids.when}
                  type="datetime-local"
                  value={values.when}
                  autoFocus={focusWhen}
                  aria-invalid={fields.occurredAt ? true : undefined}
                  aria-describedby={describedBy(ids.when, fields.occurredAt)}
                  onChange={(e) => set({ when: e.target.value })}
                />
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => set({ when: null })}
                >
                  Now
                </button>
              </span>
            </>
          )}
          {fields.occurredAt && (
            <p className="field-error" id={`${ids.when}-error`}>
              {fields.occurredAt}
            </p>
          )}
        </div>
        <div className="form-actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Saving…" : (submitLabel ?? SAVE_LABELS[values.kind])}
          </button>
        </div>
      </div>
      {errors.general.length > 0 && (
        <p className="notice notice-error" role="alert">
          {errors.general.join(" ")}
        </p>
      )}
    </form>
  );
}
