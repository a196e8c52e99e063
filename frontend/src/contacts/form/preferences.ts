import type { PhoneType } from "../../gql/schema";
import { isMobileNumber } from "../../lib/phones";

/**
 * The server's consent rule, in the form (crm/contacts/services.py, `_filled_channels` and
 * `apply_preferences`), so each box shows what saving will store:
 * - a choice the user made wins;
 * - else a channel whose field becomes filled is ticked, unless its consent was ever set;
 * - SMS is never ticked by itself while the organisation has SMS off;
 * - email fills EMAIL; any phone but a fax fills PHONE; a MOBILE phone, or an OTHER one whose
 *   number is a mobile, fills SMS; a first address line, town or postcode fills POST.
 */

export type Channel = "email" | "sms" | "phone" | "post";
export const CHANNELS: Channel[] = ["email", "sms", "phone", "post"];

type Phone = { type: PhoneType; number: string; country: string };
type Filled = Pick<Phone, "type"> & { mobile: boolean };

type Address = { line1: string; city: string; postalCode: string };

function filledBy(email: string, phones: Filled[], address: Address) {
  const filled = new Set<Channel>();
  if (email.trim()) filled.add("email");
  for (const phone of phones) {
    if (phone.type !== "FAX") filled.add("phone");
    if (phone.type === "MOBILE" || (phone.type === "OTHER" && phone.mobile)) filled.add("sms");
  }
  if (address.line1.trim() || address.city.trim() || address.postalCode.trim()) filled.add("post");
  return filled;
}

/** The channels the form's fields fill, as the server will judge the phones it is sent. */
export function filledChannels(form: {
  email: string;
  phones: Phone[];
  address: { line1: string; city: string; postalCode: string };
}): Set<Channel> {
  const sent = form.phones.filter((p) => p.number.trim());
  const phones = sent.map((p) => ({ type: p.type, mobile: isMobileNumber(p.number, p.country) }));
  return filledBy(form.email, phones, form.address);
}

/**
 * The channels a saved contact's fields filled, as the server counts them before an edit:
 * its stored phones count for SMS by their type alone (MOBILE), as the server reads them.
 */
export function savedChannels(contact: {
  email: string;
  phones: { type: PhoneType }[];
  address: { line1: string; city: string; postalCode: string };
}): Set<Channel> {
  const phones = contact.phones.map((p) => ({ type: p.type, mobile: p.type === "MOBILE" }));
  return filledBy(contact.email, phones, contact.address);
}

/** The contact's consent as saved: each channel's value, and whether it was ever set. */
export type Baseline = {
  prefs: Record<Channel, boolean>;
  everSet: Record<Channel, boolean>;
  filled: Set<Channel>;
};

export const NEW_CONTACT: Baseline = {
  prefs: { email: false, sms: false, phone: false, post: false },
  everSet: { email: false, sms: false, phone: false, post: false },
  filled: new Set(),
};

/** What a channel's box shows: the user's choice, else what the server will store. */
export function shownPreference(
  channel: Channel,
  chosen: boolean | undefined,
  filled: Set<Channel>,
  baseline: Baseline,
  smsEnabled: boolean,
): boolean {
  if (chosen !== undefined) return chosen;
  const saved = baseline.prefs[channel];
  if (channel === "sms" && !smsEnabled) return saved;
  const newlyFilled = filled.has(channel) && !baseline.filled.has(channel);
  return newlyFilled && !baseline.everSet[channel] ? true : saved;
}
