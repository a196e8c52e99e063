import type { PhoneType } from "../../gql/schema";

/**
 * How the form shows consent: a choice the user made wins; else a channel whose field
 * becomes filled is ticked, unless its consent was ever set. Email fills EMAIL; any phone
 * but a fax fills PHONE; a MOBILE phone fills SMS; a first address line, town or postcode
 * fills POST.
 */

export type Channel = "email" | "sms" | "phone" | "post";
export const CHANNELS: Channel[] = ["email", "sms", "phone", "post"];

type Address = { line1: string; city: string; postalCode: string };

/** The channels the form's fields fill. */
export function filledChannels(form: {
  email: string;
  phones: { type: PhoneType; number: string }[];
  address: Address;
}): Set<Channel> {
  const filled = new Set<Channel>();
  if (form.email.trim()) filled.add("email");
  for (const phone of form.phones) {
    if (!phone.number.trim()) continue;
    if (phone.type !== "FAX") filled.add("phone");
    if (phone.type === "MOBILE") filled.add("sms");
  }
  const a = form.address;
  if (a.line1.trim() || a.city.trim() || a.postalCode.trim()) filled.add("post");
  return filled;
}

/** The channels a saved contact's fields filled. */
export function savedChannels(contact: {
  email: string;
  phones: { type: PhoneType; national: string }[];
  address: Address;
}): Set<Channel> {
  return filledChannels({ ...contact, phones: contact.phones.map((p) => ({ type: p.type, number: p.national })) });
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

/** What a channel's box shows: the user's choice, else the rule above. */
export function shownPreference(
  channel: Channel,
  chosen: boolean | undefined,
  filled: Set<Channel>,
  baseline: Baseline,
): boolean {
  if (chosen !== undefined) return chosen;
  const newlyFilled = filled.has(channel) && !baseline.filled.has(channel);
  return baseline.prefs[channel] || (newlyFilled && !baseline.everSet[channel]);
}
