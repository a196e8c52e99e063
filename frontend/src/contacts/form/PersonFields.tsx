import { useId } from "react";
import { NameFields } from "../../components/NameFields";
import { SelectField, TextField } from "../../components/ui";
import { CONTACT_STATUSES, CONTACT_TYPES, type FieldErrors } from "../../lib/format";
import { ProductPicker } from "../../products/ProductPicker";
import { CompanyPicker } from "./CompanyPicker";
import { DuplicateWarnings, type Warnings } from "./PossibleDuplicates";
import { TYPES_NEEDING_EMAIL, type FormState } from "./state";

/**
 * The "Person" part of the contact form: name, type and status, email, job, company and
 * products, with the saved contacts that look like this one under the name and the email.
 */
export function PersonFields({
  form,
  change,
  errors,
  canInvite,
  duplicates,
}: {
  form: FormState;
  change: (changes: Partial<FormState>) => void;
  errors: FieldErrors;
  canInvite: boolean;
  duplicates: Warnings;
}) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const emailRequired = TYPES_NEEDING_EMAIL.includes(form.type);
  return (
    <fieldset className="card">
      <legend>Person</legend>
      <div className="form-grid">
        <NameFields idPrefix={uid} values={form} onChange={change} errors={errors} />
        <div className="span-2">
          <DuplicateWarnings warnings={duplicates.name} className="name-duplicates" />
        </div>
        <SelectField
          id={fid("type")}
          label="Type"
          value={form.type}
          onChange={(type) => change({ type })}
          options={CONTACT_TYPES}
          error={errors.type}
        />
        <SelectField
          id={fid("status")}
          label="Status"
          value={form.status}
          onChange={(status) => change({ status })}
          options={CONTACT_STATUSES}
          error={errors.status}
        />
        <TextField
          id={fid("email")}
          label="Email"
          type="email"
          required={emailRequired}
          value={form.email}
          onChange={(email) => change({ email })}
          error={errors.email}
          hint={
            <>
              <span aria-live="polite">
                {emailRequired
                  ? `Required for a ${CONTACT_TYPES[form.type].toLowerCase()}.`
                  : "Required for prospects and clients."}
              </span>
              <DuplicateWarnings warnings={duplicates.email} />
            </>
          }
        />
        {canInvite && (
          <div className="field field-check span-2">
            <label className="check">
              <input
                type="checkbox"
                checked={form.sendInvite}
                onChange={(e) => change({ sendInvite: e.target.checked })}
                aria-describedby={fid("sendInvite-hint")}
              />
              Send portal invitation
            </label>
            <p className="hint" id={fid("sendInvite-hint")}>
              Emails {form.email.trim()} a link to set a password for the client portal.
            </p>
            {errors.sendInvite && <p className="field-error">{errors.sendInvite}</p>}
          </div>
        )}
        <TextField
          id={fid("jobTitle")}
          label="Job title"
          value={form.jobTitle}
          onChange={(jobTitle) => change({ jobTitle })}
          error={errors.jobTitle}
        />
        <div className="span-2">
          <CompanyPicker
            value={form.company}
            onChange={(company) => change({ company })}
            error={errors.companyId}
          />
        </div>
        <div className="span-2">
          <ProductPicker
            value={form.products}
            onChange={(products) => change({ products })}
            error={errors.productIds}
          />
        </div>
      </div>
    </fieldset>
  );
}
