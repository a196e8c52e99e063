import { useId, useState } from "react";
import { useMutation } from "urql";
import { FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { TextField } from "../components/ui";
import { ALL_CONTEXT } from "../lib/client";
import { CONTACT_TYPES } from "../lib/format";
import { ConvertLeadDocument } from "./contacts.generated";

const TARGETS = ["CLIENT", "PROSPECT"] as const;
type Target = (typeof TARGETS)[number];

/**
 * A lead becomes a client (or a prospect) with status Converted. Both need an email: a
 * lead without one is asked for it here.
 */
export function ConvertLeadDialog({
  open,
  onOpenChange,
  contact,
  onConverted,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contact: { id: string; fullName: string; email: string | null };
  onConverted: (type: Target) => void;
}) {
  const uid = useId();
  const [type, setType] = useState<Target>("CLIENT");
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching }, convert] = useMutation(ConvertLeadDocument);
  // Once the server asked for it, the email stays on show even if the contact had one.
  const askEmail = !contact.email || Boolean(errors.fields.email);

  useOnOpen(open, () => {
    setType("CLIENT");
    setEmail("");
    setErrors(NO_ERRORS);
  });

  async function submit() {
    const input = { contactId: contact.id, type, ...(askEmail && { email: email.trim() || null }) };
    const result = await convert({ input }, ALL_CONTEXT);
    const payload = result.data?.convertLead;
    if (payload?.contact && payload.errors.length === 0) {
      onOpenChange(false);
      onConverted(type);
    } else {
      setErrors(formErrors(result, payload, ["type", "email"], "Could not convert the lead."));
    }
  }

  const typeLabel = CONTACT_TYPES[type].toLowerCase();
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Convert ${contact.fullName}`}
      description={<p>The lead becomes a {typeLabel} with the status Converted. The timeline records it.</p>}
      submitLabel={`Convert to ${typeLabel}`}
      busy={fetching}
      errors={errors.general}
      onSubmit={() => void submit()}
    >
      <fieldset className="filter-options" aria-describedby={errors.fields.type ? `${uid}-type-error` : undefined}>
        <legend className="field-label">Convert to</legend>
        <div className="radio-row">
          {TARGETS.map((target) => (
            <label key={target} className="check">
              <input
                type="radio"
                name={`${uid}-type`}
                checked={type === target}
                onChange={() => setType(target)}
              />
              {CONTACT_TYPES[target]}
            </label>
          ))}
        </div>
        {errors.fields.type && (
          <p className="field-error" id={`${uid}-type-error`}>
            {errors.fields.type}
          </p>
        )}
      </fieldset>
      {askEmail && (
        <TextField
          id={`${uid}-email`}
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
          hint={`A ${typeLabel} needs an email address.`}
          required
          autoFocus
        />
      )}
    </FormDialog>
  );
}
