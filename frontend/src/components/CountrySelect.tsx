import { countryName } from "../lib/format";
import { phoneCountries } from "../lib/phones";

/**
 * A country chosen by its name (in English, from Intl.DisplayNames), valued by its ISO 3166
 * code: every country libphonenumber can format numbers for, as the server accepts them.
 */
export function CountrySelect({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  invalid?: boolean;
  describedBy?: string;
}) {
  const countries = phoneCountries();
  const known = countries.some((country) => country.code === value);
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
    >
      {!known && <option value={value}>{value ? countryName(value) : "Choose a country"}</option>}
      {countries.map((country) => (
        <option key={country.code} value={country.code}>
          {country.name}
        </option>
      ))}
    </select>
  );
}
