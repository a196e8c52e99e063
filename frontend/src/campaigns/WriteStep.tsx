import { useId, type FormEvent } from "react";
import type { FormErrors } from "../components/dialogs";
import { Field, TextField, describedBy } from "../components/ui";
import type { ContactRef } from "./ContactSelect";
import { EmailPreview } from "./EmailPreview";
import { useEmailPreview } from "./useEmailPreview";

export type Draft = { name: string; subject: string; body: string };

const MERGE_HELP = (
  <>
    Markdown: **bold**, _italic_, [a link](https://…), lists with “- ”. Merge fields:{" "}
    <code>{"{{ first_name }}"}</code>, <code>{"{{ last_name }}"}</code>,{" "}
    <code>{"{{ full_name }}"}</code>, <code>{"{{ company }}"}</code>; with a default for when it is
    blank: <code>{'{{ first_name | default: "there" }}'}</code>.
  </>
);

/** The editor: name, subject and Markdown body, beside a live preview of the email. */
export function WriteStep({
  draft,
  onChange,
  errors,
  dirty,
  saving,
  onSave,
  onNext,
  previewAs,
  onPreviewAs,
}: {
  draft: Draft;
  onChange: (changes: Partial<Draft>) => void;
  errors: FormErrors;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onNext: () => void;
  previewAs: ContactRef | null;
  onPreviewAs: (contact: ContactRef | null) => void;
}) {
  const uid = useId();
  const preview = useEmailPreview(draft.subject, draft.body, previewAs?.id ?? null);
  // A broken template shows under its field as it is typed, not only when saved.
  const live = (field: string) => (preview.problem?.field === field ? preview.problem.message : undefined);
  const subjectError = errors.fields.subject ?? live("subject");
  const bodyError = errors.fields.body ?? live("body");
  const bodyId = `${uid}-body`;

  return (
    <div className="campaign-write">
      <form
        className="card campaign-editor"
        aria-label="Campaign"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSave();
        }}
      >
        <TextField
          id={`${uid}-name`}
          label="Name"
          value={draft.name}
          onChange={(name) => onChange({ name })}
          error={errors.fields.name}
          hint="For you and your colleagues; recipients do not see it."
          required
          maxLength={200}
        />
        <TextField
          id={`${uid}-subject`}
          label="Subject"
          value={draft.subject}
          onChange={(subject) => onChange({ subject })}
          error={subjectError}
          hint="Merge fields work here too."
          maxLength={500}
        />
        <Field id={bodyId} label="Message" error={bodyError} hint={MERGE_HELP}>
          <textarea
            id={bodyId}
            className="campaign-body"
            rows={16}
            value={draft.body}
            aria-invalid={bodyError ? true : undefined}
            aria-describedby={describedBy(bodyId, bodyError, true)}
            onChange={(e) => onChange({ body: e.target.value })}
          />
        </Field>
        {errors.general.length > 0 && (
          <p className="notice notice-error" role="alert">
            {errors.general.join(" ")}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button" disabled={saving || !dirty}>
            {saving ? "Saving…" : dirty ? "Save draft" : "Saved"}
          </button>
          <button type="button" className="button button-primary" disabled={saving} onClick={onNext}>
            Next: recipients →
          </button>
        </div>
      </form>
      <EmailPreview
        email={preview.email}
        problem={preview.problem?.field ? null : preview.problem}
        fieldProblem={Boolean(preview.problem?.field)}
        updating={preview.updating}
        contact={previewAs}
        onContactChange={onPreviewAs}
      />
    </div>
  );
}
