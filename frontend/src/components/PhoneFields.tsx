import { useId, type ReactNode } from "react";
import type { PhoneType } from "../gql/schema";
import { PHONE_TYPES, collectErrors, keys, type FieldErrors } from "../lib/format";
import { defaultPhoneCountry, formatAsTyped, isPhoneCountry, phoneCountries } from "../lib/phones";
import { Field, describedBy } from "./ui";

export type PhoneRow = { key: string; type: PhoneType; country: string; number: string };

let rowCounter = 0;
export const newRowKey = () => `row${++rowCounter}`;

export function blankPhone(defaultCountry: string | null | undefined): PhoneRow {
  return {
    key: newRowKey(),
    type: "MOBILE",
    country: defaultPhoneCountry(defaultCountry),
    number: "",
  };
}

/**
 * The phone rows of a form: type, country, number (formatted as typed), primary, remove,
 * and "Add phone number". Errors are keyed `phones.<row key>.<field>`; `note` goes under the
 * rows (the contact form's possible duplicates).
 */
export function PhoneFields({
  phones,
  primaryKey,
  errors,
  defaultCountry,
  onChange,
  note,
}: {
  phones: PhoneRow[];
  primaryKey: string | null;
  errors: FieldErrors;
  defaultCountry: string | null | undefined;
  onChange: (phones: PhoneRow[], primaryKey: string | null) => void;
  note?: ReactNode;
}) {
  const uid = useId();
  const countries = phoneCountries();
  const setPhone = (key: string, changes: Partial<PhoneRow>) =>
    onChange(
      phones.map((p) => (p.key === key ? { ...p, ...changes } : p)),
      primaryKey,
    );
  const withNumbers = phones.filter((p) => p.number.trim()).length;
  return (
    <>
      {errors.phones && (
        <p className="field-error" role="alert">
          {errors.phones}
        </p>
      )}
      {phones.length === 0 && <p className="hint">No phone numbers.</p>}
      {phones.map((phone, index) => {
        const base = `${uid}-phone-${phone.key}`;
        const numberError = errors[`phones.${phone.key}.number`];
        const countryError = errors[`phones.${phone.key}.country`];
        const typeError = errors[`phones.${phone.key}.type`];
        const n = index + 1;
        return (
          <div className="phone-row" key={phone.key} role="group" aria-label={`Phone ${n}`}>
            <Field id={`${base}-type`} label={`Phone ${n} type`} error={typeError}>
              <select
                id={`${base}-type`}
                value={phone.type}
                onChange={(e) => setPhone(phone.key, { type: e.target.value as PhoneType })}
              >
                {keys(PHONE_TYPES).map((t) => (
                  <option key={t} value={t}>
                    {PHONE_TYPES[t]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${base}-country`} label={`Phone ${n} country`} error={countryError}>
              <select
                id={`${base}-country`}
                value={phone.country}
                onChange={(e) => {
                  const country = e.target.value;
                  setPhone(phone.key, {
                    country,
                    number: isPhoneCountry(country)
                      ? formatAsTyped("", phone.number, country).text
                      : phone.number,
                  });
                }}
              >
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id={`${base}-number`}
              label={`Phone ${n} number`}
              error={numberError}
              className="phone-number"
            >
              <input
                id={`${base}-number`}
                type="tel"
                autoComplete="off"
                inputMode="tel"
                value={phone.number}
                aria-invalid={numberError ? true : undefined}
                aria-describedby={describedBy(`${base}-number`, numberError)}
                onChange={(e) => {
                  const country = isPhoneCountry(phone.country) ? phone.country : "GB";
                  const next = formatAsTyped(phone.number, e.target.value, country);
                  setPhone(phone.key, { number: next.text, country: next.country });
                }}
              />
            </Field>
            <label className="check">
              <input
                type="radio"
                name={`${uid}-primary`}
                checked={primaryKey === phone.key}
                onChange={() => onChange(phones, phone.key)}
              />
              Primary<span className="visually-hidden"> phone {n}</span>
            </label>
            <button
              type="button"
              className="button button-quiet button-small"
              aria-label={`Remove phone ${n}`}
              onClick={() => {
                const rest = phones.filter((p) => p.key !== phone.key);
                onChange(rest, primaryKey === phone.key ? (rest[0]?.key ?? null) : primaryKey);
              }}
            >
              Remove
            </button>
          </div>
        );
      })}
      {note}
      <button
        type="button"
        className="button phone-add"
        onClick={() => {
          const row = blankPhone(defaultCountry);
          onChange([...phones, row], primaryKey ?? row.key);
        }}
      >
        + Add phone number
      </button>
      {withNumbers > 1 && <p className="hint">The primary number shows in lists.</p>}
    </>
  );
}

/** Rows as the API takes them: empty rows dropped, one primary. Also the sent rows' keys. */
export function phoneInputs(phones: PhoneRow[], primaryKey: string | null) {
  const sent = phones.filter((p) => p.number.trim());
  const sentKeys = sent.map((p) => p.key);
  const primary = sent.length && !sentKeys.includes(primaryKey ?? "") ? sentKeys[0] : primaryKey;
  return {
    keys: sentKeys,
    inputs: sent.map((p) => ({
      number: p.number,
      country: p.country || null,
      type: p.type,
      isPrimary: p.key === primary,
    })),
  };
}

/** phones.<index>.x (index into the rows sent) → phones.<row key>.x; null if not a phone key. */
export function phoneErrorKey(key: string, sentKeys: string[]): string | null {
  const match = /^phones\.(\d+)(\..+)?$/.exec(key);
  if (match && sentKeys[Number(match[1])]) {
    return `phones.${sentKeys[Number(match[1])]}${match[2] ?? ".number"}`;
  }
  return null;
}

/**
 * A refused save's errors for a form with phone rows: `phones.<index>.x` moved to the row
 * it names, the keys in `shown` beside their fields, every other error in `general`.
 */
export function phoneFormErrors(
  errors: readonly { field?: readonly string[] | null; message: string }[],
  sentKeys: string[],
  shown: (key: string) => boolean,
): { fields: FieldErrors; general: string[] } {
  const { fields: collected, general } = collectErrors(errors);
  const fields: FieldErrors = {};
  for (const [key, message] of Object.entries(collected)) {
    const phoneKey = phoneErrorKey(key, sentKeys);
    if (phoneKey) fields[phoneKey] = message;
    else if (shown(key)) fields[key] = message;
    else general.push(message);
  }
  return { fields, general };
}

/** A contact's saved phones as form rows, and which row is primary. */
export function phoneRows(
  phones: readonly { type: PhoneType; country: string; national: string; isPrimary: boolean }[],
): { phones: PhoneRow[]; primaryKey: string | null } {
  const rows = phones.map((p) => ({
    key: newRowKey(),
    type: p.type,
    country: p.country,
    number: p.national,
  }));
  const primary = phones.findIndex((p) => p.isPrimary);
  return { phones: rows, primaryKey: primary >= 0 ? rows[primary].key : null };
}
