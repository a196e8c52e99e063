import type { Title } from "../gql/schema";
import { TITLES, type FieldErrors } from "../lib/format";
import { SelectField, TextField } from "./ui";

export type NameValues = { title: Title | ""; firstName: string; lastName: string };

/**
 * Title, first and last name (the last one required), for a form's grid. `autoFill` lets
 * the browser offer the person's own name (the portal), not a stranger's (staff).
 */
export function NameFields({
  idPrefix,
  values,
  onChange,
  errors,
  autoFill = false,
}: {
  idPrefix: string;
  values: NameValues;
  onChange: (changes: Partial<NameValues>) => void;
  errors: FieldErrors;
  autoFill?: boolean;
}) {
  return (
    <>
      <SelectField
        id={`${idPrefix}-title`}
        label="Title"
        value={values.title}
        onChange={(title) => onChange({ title })}
        options={TITLES}
        blank="—"
        error={errors.title}
      />
      <div />
      <TextField
        id={`${idPrefix}-firstName`}
        label="First name"
        autoComplete={autoFill ? "given-name" : "off"}
        value={values.firstName}
        onChange={(firstName) => onChange({ firstName })}
        error={errors.firstName}
      />
      <TextField
        id={`${idPrefix}-lastName`}
        label="Last name"
        required
        autoComplete={autoFill ? "family-name" : "off"}
        value={values.lastName}
        onChange={(lastName) => onChange({ lastName })}
        error={errors.lastName}
      />
    </>
  );
}
