import { useId, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { NoticeBar, type Notice } from "../components/ui";
import { useAuth } from "../lib/auth";
import { mutationProblem } from "../lib/problems";
import { SendTestEmailDocument } from "./mail.generated";

const context = { additionalTypenames: ["OutboxMessage"] };

/** "Send a test email": checks that the mail server accepts the CRM's email. */
export function TestEmailForm({ onSent }: { onSent: () => void }) {
  const id = useId();
  const auth = useAuth();
  const [to, setTo] = useState(auth.user?.email ?? "");
  const [result, setResult] = useState<Notice | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [{ fetching }, send] = useMutation(SendTestEmailDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    setFieldError(null);
    const response = await send({ input: { to: to.trim() } }, context);
    const payload = response.data?.sendTestEmail;
    if (payload?.message && payload.errors.length === 0) {
      setResult({
        tone: "ok",
        text: `Test email queued for ${payload.message.toAddress}. Its status shows below.`,
      });
      onSent();
      return;
    }
    const onField = payload?.errors.find((e) => e.field?.includes("to"));
    if (onField) setFieldError(onField.message);
    const other = payload && { errors: payload.errors.filter((e) => e !== onField) };
    const problem = mutationProblem(response, other, "Could not send.");
    if (problem) setResult({ tone: "error", text: problem });
  }

  return (
    <form className="card test-email" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Send a test email</h2>
      <p className="hint">Checks that the mail server accepts the CRM's email.</p>
      <div className="test-email-row">
        <div className="field">
          <label htmlFor={`${id}-to`}>Send to</label>
          <input
            id={`${id}-to`}
            type="email"
            autoComplete="email"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-to-error` : undefined}
          />
          {fieldError && (
            <p className="field-error" id={`${id}-to-error`}>
              {fieldError}
            </p>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Sending…" : "Send test email"}
        </button>
      </div>
      <NoticeBar notice={result} />
    </form>
  );
}
