// The "mobile" metadata: formatting as the default set has it, plus the patterns that tell a
// mobile number (the server's rule for ticking SMS), at ~16 kB more than the default.
import {
  AsYouType,
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/mobile";
import { countryName, flag } from "./format";

export type CountryOption = { code: CountryCode; name: string; label: string };

let cached: CountryOption[] | null = null;

/** Every country libphonenumber knows, by name, labelled with its flag and dialling code. */
export function phoneCountries(): CountryOption[] {
  if (!cached) {
    cached = getCountries()
      .map((code) => {
        const name = countryName(code);
        return { code, name, label: `${flag(code)} ${name} (+${getCountryCallingCode(code)})` };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return cached;
}

export function isPhoneCountry(code: string | null | undefined): code is CountryCode {
  return Boolean(code) && phoneCountries().some((c) => c.code === code);
}

/** The organisation's default phone country (appSettings), when libphonenumber knows it. */
export function defaultPhoneCountry(setting: string | null | undefined): CountryCode {
  const code = setting?.toUpperCase();
  return isPhoneCountry(code) ? code : "GB";
}

/**
 * Formats a number as it is typed. Deleting characters keeps the text as it is, so
 * backspacing over a space or bracket works; a leading + may reveal the country.
 */
export function formatAsTyped(
  previous: string,
  typed: string,
  country: CountryCode,
): { text: string; country: CountryCode } {
  if (typed.length < previous.length) return { text: typed, country };
  const formatter = new AsYouType(country);
  const text = formatter.input(typed);
  const detected = typed.trim().startsWith("+") ? formatter.getCountry() : undefined;
  return { text, country: detected ?? country };
}

/**
 * Whether a number is a mobile one, as the server decides it (python-phonenumbers: MOBILE or
 * FIXED_LINE_OR_MOBILE, the latter where the two look alike, as in the US). An incomplete or
 * invalid number is not.
 */
export function isMobileNumber(number: string, country: string): boolean {
  const parsed = parsePhoneNumberFromString(number, isPhoneCountry(country) ? country : undefined);
  const type = parsed?.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE";
}
