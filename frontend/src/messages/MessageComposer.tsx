import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { NO_ERRORS, type FormErrors } from "../components/dialogs";
import { describedBy } from "../components/ui";
import { MAX_MESSAGE_LENGTH } from "./refusal";

const number = new Intl.NumberFormat("en-GB");

/**
 * The reply box under a conversation: the text, a counter against the 20,000-character
 * limit, Send. `onSend` resolves to the server's errors (the body's beside the box, the
 * rest above the button) or to null when it was sent: the box then empties. A new
 * `focusKey` puts the focus in the box.
 */
export function MessageComposer({
  label,
  onSend,
  focusKey,
}: {
  label: string;
  onSend: (body: string) => Promise<FormErrors | null>;
  focusKey?: number;
}) {
  const uid = useId();
  const id = `${uid}-body`;
  const [body, setBody] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const text = useRef<HTMLTextAreaElement>(null);
  const over = body.length - MAX_MESSAGE_LENGTH;

  useEffect(() => {
    if (!focusKey || !text.current) return;
    text.current.focus({ preventScroll: true });
    text.current.scrollIntoView({ block: "center" });
  }, [focusKey]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const problems = await onSend(body);
    setBusy(false);
    setErrors(problems ?? NO_ERRORS);
    if (!problems) setBody("");
  }

  const error = errors.fields.body;
  return (
    <form className="message-composer" noValidate onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <textarea
          ref={text}
          id={id}
          rows={4}
          value={body}
          aria-invalid={error || over > 0 ? true : undefined}
          aria-describedby={[`${id}-count`, describedBy(id, error)].filter(Boolean).join(" ")}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <p id={`${id}-count`} className={`hint message-count${over > 0 ? " field-error" : ""}`}>
          {number.format(body.length)} / {number.format(MAX_MESSAGE_LENGTH)} characters
          {over > 0 && ` — ${number.format(over)} too many`}
        </p>
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      {errors.general.map((problem) => (
        <p key={problem} className="notice notice-error" role="alert">
          {problem}
        </p>
      ))}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Sending…" : "Send"}
      </button>
    </form>
  );
}
