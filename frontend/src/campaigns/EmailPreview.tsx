import { useId, useState } from "react";
import { Loading } from "../components/Loading";
import { ContactSelect, type ContactRef } from "./ContactSelect";
import type { CampaignEmailPreviewQuery } from "./campaigns.generated";
import type { PreviewProblem } from "./useEmailPreview";

type View = "html" | "text";

/**
 * The email as a recipient would see it: its HTML part in a sandboxed frame (no scripts, no
 * same origin: it can reach nothing of the app), or its text part; filled in as `contact`.
 */
export function EmailPreview({
  email,
  problem,
  fieldProblem = false,
  updating,
  contact,
  onContactChange,
  title = "Preview",
}: {
  email: CampaignEmailPreviewQuery["campaignEmail"] | null;
  problem: PreviewProblem | null;
  /** The subject or body has a problem, shown under that field: no email to show. */
  fieldProblem?: boolean;
  updating: boolean;
  contact: ContactRef | null;
  onContactChange: (contact: ContactRef | null) => void;
  title?: string;
}) {
  const headingId = useId();
  const [view, setView] = useState<View>("html");
  return (
    <section className={`card email-preview${updating ? " is-stale" : ""}`} aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>{title}</h2>
        <div className="view-switch" role="group" aria-label="Show the email as">
          {(["html", "text"] as const).map((option) => (
            <button
              key={option}
              type="button"
              className="button button-small"
              aria-pressed={view === option}
              onClick={() => setView(option)}
            >
              {option === "html" ? "Email" : "Plain text"}
            </button>
          ))}
        </div>
      </div>
      <ContactSelect
        label="Preview as"
        value={contact}
        onChange={onContactChange}
        blank="No one: merge fields blank or their defaults"
      />
      {fieldProblem ? (
        <p className="notice notice-warning">
          The preview comes back once the problem marked in the subject or message is fixed.
        </p>
      ) : problem ? (
        <p className="notice notice-error" role="alert">
          The preview cannot be shown: {problem.message}
        </p>
      ) : email ? (
        <>
          <p className="email-subject">
            <span className="subtle">Subject:</span>{" "}
            {email.subject || <em className="subtle">no subject yet</em>}
          </p>
          {view === "html" ? (
            <iframe className="email-frame" title="Email preview" sandbox="" srcDoc={email.html} />
          ) : (
            <pre className="message-body email-text" aria-label="Email text">
              {email.text}
            </pre>
          )}
        </>
      ) : (
        <Loading label="Loading the preview…" />
      )}
    </section>
  );
}
