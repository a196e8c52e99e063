import { useId } from "react";
import { SelectField, TextField } from "../../components/ui";
import { CONTACT_STATUSES, CONTACT_TYPES, TITLES, type FieldErrors } from "../../lib/format";
import { CompanyPicker } from "./CompanyPicker";
import { TYPES_NEEDING_EMAIL, type FormState } from "./state";

/** The "Person" part of the contact form: name, type and status, email, job and company. */
export function PersonFields({
  form,
  set,
  errors,
  canInvite,
}: {
  form: FormState;
  set: <K extends keyof FormState>(key: K, value: FormState[K]) => void;
  errors: FieldErrors;
  canInvite: boolean;
}) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const emailRequired = TYPES_NEEDING_EMAIL.includes(form.type);
  return (
    <fieldset className="card">
      <legend>Person</legend>
      <div className="form-grid">
        <SelectField
          id={fid("title")}
          label="Title"
          value={form.title}
          onChange={(title) => set("title", title)}
          options={TITLES}
          blank="—"
          error={errors.title}
        />
        <div />
        <TextField
          id={fid("firstName")}
          label="First name"
          value={form.firstName}
          onChange={(value) => set("firstName", value)}
          error={errors.firstName}
        />
        <TextField
          id={fid("lastName")}
          label="Last name"
          required
          value={form.lastName}
          onChange={(value) => set("lastName", value)}
          error={errors.lastName}
        />
        <SelectField
          id={fid("type")}
          label="Type"
          value={form.type}
          onChange={(type) => set("type", type)}
          options={CONTACT_TYPES}
          error={errors.type}
        />
        <SelectField
          id={fid("status")}
          label="Status"
          value={form.status}
          onChange={(status) => set("status", status)}
          options={CONTACT_STATUSES}
          error={errors.status}
        />
        <TextField
          id={fid("email")}
          label="Email"
          type="email"
          required={emailRequired}
          value={form.email}
          onChange={(value) => set("email", value)}
          error={errors.email}
          hint={
            <span aria-live="polite">
              {emailRequired
                ? `Required for a ${CONTACT_TYPES[form.type].toLowerCase()}.`
                : "Required for prospects and clients."}
            </span>
          }
        />
        {canInvite && (
          <div className="field field-check span-2">
            <label className="check">
              <input
                type="checkbox"
                checked={form.sendInvite}
                onChange={(e) => set("sendInvite", e.target.checked)}
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
          onChange={(value) => set("jobTitle", value)}
          error={errors.jobTitle}
        />
        <div className="span-2">
          <CompanyPicker
            value={form.company}
            onChange={(company) => set("company", company)}
            error={errors.companyId}
          />
        </div>
      </div>
    </fieldset>
  );
}
