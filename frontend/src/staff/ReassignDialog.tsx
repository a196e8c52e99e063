import { useId, useState } from "react";
import { useMutation } from "urql";
import { FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { Field, describedBy } from "../components/ui";
import { plural } from "../lib/format";
import { ReassignOwnedRecordsDocument } from "./owners.generated";
import { ownerName, useStaffDirectory } from "./OwnerSelect";

const reassignContext = { additionalTypenames: ["Contact", "Company", "StaffUser"] };

export type Leaver = { id: string; name: string; email: string };

/**
 * "Give their contacts to…" for a deactivated colleague: everything they own (contacts and
 * companies) goes to someone who can still sign in, each change on the record's timeline.
 */
export function ReassignDialog({
  leaver,
  onOpenChange,
  onDone,
}: {
  leaver: Leaver | null;
  onOpenChange: (open: boolean) => void;
  onDone: (text: string) => void;
}) {
  const id = useId();
  const [to, setTo] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const { staff, loading } = useStaffDirectory(false);
  const [{ fetching }, reassign] = useMutation(ReassignOwnedRecordsDocument);
  const open = leaver !== null;
  const who = leaver ? leaver.name || leaver.email : "";

  useOnOpen(open, () => {
    setTo("");
    setErrors(NO_ERRORS);
  });

  async function submit() {
    if (!leaver) return;
    if (!to) {
      setErrors({ fields: { toStaffUserId: "Choose who takes them over." }, general: [] });
      return;
    }
    const result = await reassign({ input: { fromStaffUserId: leaver.id, toStaffUserId: to } }, reassignContext);
    const payload = result.data?.reassignOwnedRecords;
    if (payload && payload.errors.length === 0) {
      const heir = staff.find((s) => s.id === to);
      const moved = `${plural(payload.contacts, "contact")} and ${plural(payload.companies, "company", "companies")}`;
      onDone(`${moved} of ${who} now belong to ${heir ? ownerName(heir) : "the colleague chosen"}.`);
      onOpenChange(false);
    } else {
      setErrors(formErrors(result, payload, ["toStaffUserId"], "Could not reassign the records."));
    }
  }

  const error = errors.fields.toStaffUserId;
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Give ${who}'s contacts to…`}
      description={<p>Every contact and company {who} owns goes to the colleague you choose.</p>}
      submitLabel="Give them"
      busy={fetching}
      errors={errors.general}
      onSubmit={() => void submit()}
    >
      <Field id={id} label="New owner" error={error} required>
        <select
          id={id}
          value={to}
          autoFocus
          onChange={(e) => setTo(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error)}
        >
          <option value="">{loading ? "Loading…" : "Choose a colleague"}</option>
          {staff
            .filter((s) => s.id !== leaver?.id)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {ownerName(s)}
              </option>
            ))}
        </select>
      </Field>
    </FormDialog>
  );
}
