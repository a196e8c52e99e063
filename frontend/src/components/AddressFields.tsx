import type { AddressFieldsFragment } from "../lib/fragments.generated";
import type { FieldErrors } from "../lib/format";
import { CountryCombobox } from "./CountryCombobox";
import { Field, describedBy } from "./ui";

export type AddressKey = keyof Omit<AddressFieldsFragment, "__typename">;
export type AddressValues = Record<AddressKey, string>;

const FIELDS: [AddressKey, string, string][] = [
  ["line1", "Address line 1", "address-line1"],
  ["line2", "Address line 2", "address-line2"],
  ["city", "Town or city", "address-level2"],
  ["region", "County, state or region", "address-level1"],
  ["postalCode", "Postcode", "postal-code"],
  ["country", "Country", "country-name"],
];

/** A saved address as the form's text fields. */
export function addressValues(address: AddressFieldsFragment | null | undefined): AddressValues {
  return Object.fromEntries(FIELDS.map(([key]) => [key, address?.[key] ?? ""])) as AddressValues;
}

/**
 * The address as the API takes it: trimmed, empty parts null, the country's ISO code.
 * Null when nothing was typed and `always` is false (nothing to save on a new record).
 */
export function addressInput(values: AddressValues, always: boolean) {
  const given = Object.values(values).some((v) => v.trim());
  if (!given && !always) return null;
  const part = (key: AddressKey) => values[key].trim() || null;
  return {
    line1: part("line1"),
    line2: part("line2"),
    city: part("city"),
    region: part("region"),
    postalCode: part("postalCode"),
    country: part("country")?.toUpperCase() ?? null,
  };
}

/**
 * The "Address" part of a form: six fields, errors keyed `address.<field>`. `autoFill` lets the
 * browser offer the person's own address (the portal), not a stranger's (staff).
 */
export function AddressFields({
  idPrefix,
  values,
  onChange,
  errors,
  autoFill = false,
}: {
  idPrefix: string;
  values: AddressValues;
  onChange: (values: AddressValues) => void;
  errors: FieldErrors;
  autoFill?: boolean;
}) {
  return (
    <fieldset className="card">
      <legend>Address</legend>
      <div className="form-grid">
        {FIELDS.map(([key, label, autoComplete]) => {
          const id = `${idPrefix}-address-${key}`;
          const error = errors[`address.${key}`];
          return (
            <Field key={key} id={id} label={label} error={error}>
              {key === "country" ? (
                <CountryCombobox
                  id={id}
                  value={values.country}
                  onChange={(country) => onChange({ ...values, country })}
                  invalid={Boolean(error)}
                  describedBy={describedBy(id, error)}
                  autoFill={autoFill}
                />
              ) : (
                <input
                  id={id}
                  type="text"
                  autoComplete={autoFill ? autoComplete : "off"}
                  value={values[key]}
                  onChange={(e) => onChange({ ...values, [key]: e.target.value })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy(id, error)}
                />
              )}
            </Field>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The form keys of the address's errors. */
export const ADDRESS_ERROR_KEYS = FIELDS.map(([key]) => `address.${key}`);
