import {
  ADDRESS_ERROR_KEYS,
  addressInput,
  addressValues,
  type AddressValues,
} from "../../components/AddressFields";
import { blankPhone, phoneInputs, phoneRows, type PhoneRow } from "../../components/PhoneFields";
import type { ContactStatus, ContactType, PreferencesInput, Title } from "../../gql/schema";
import type { ProductRef } from "../../products/ProductPicker";
import type { OwnerRef } from "../../staff/OwnerSelect";
import type { ContactForEditQuery } from "../contacts.generated";
import type { CompanyRef } from "./CompanyPicker";
import { CHANNELS, savedChannels, type Baseline, type Channel } from "./preferences";

export type FormState = {
  title: Title | "";
  firstName: string;
  lastName: string;
  email: string;
  type: ContactType;
  status: ContactStatus;
  jobTitle: string;
  company: CompanyRef | null;
  products: ProductRef[];
  owner: OwnerRef | null;
  phones: PhoneRow[];
  primaryKey: string | null;
  address: AddressValues;
  /** Only what the user ticked or unticked; the rest follows the fields. */
  prefs: Partial<Record<Channel, boolean>>;
  /** New contacts only: invite to the portal (when an invitation is possible). */
  sendInvite: boolean;
};

type Contact = NonNullable<ContactForEditQuery["contact"]>;

/** Prospects and clients need an email; only they can be invited to the portal. */
export const TYPES_NEEDING_EMAIL: ContactType[] = ["PROSPECT", "CLIENT"];

/**
 * A new contact: one empty phone row in the organisation's country, maybe a company, owned
 * by whoever creates it unless they choose otherwise.
 */
export function newContactState(
  defaultCountry: string,
  company: CompanyRef | null,
  owner: OwnerRef | null,
): FormState {
  const first = blankPhone(defaultCountry);
  return {
    title: "",
    firstName: "",
    lastName: "",
    email: "",
    type: "LEAD",
    status: "NEW",
    jobTitle: "",
    company,
    products: [],
    owner,
    phones: [first],
    primaryKey: first.key,
    address: addressValues(null),
    prefs: {},
    sendInvite: true,
  };
}

/** A saved contact as the form edits it. */
export function contactState(contact: Contact): FormState {
  return {
    title: contact.title ?? "",
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email ?? "",
    type: contact.type,
    status: contact.status,
    jobTitle: contact.jobTitle ?? "",
    company: contact.company,
    products: [...contact.products],
    owner: contact.owner,
    ...phoneRows(contact.phones),
    address: addressValues(contact.address),
    prefs: {},
    sendInvite: false,
  };
}

/** A saved contact's consent, for the rule that ticks boxes as fields are filled in. */
export function contactBaseline(contact: Contact): Baseline {
  const everSet = { email: false, sms: false, phone: false, post: false };
  for (const consent of contact.preferences.consents) {
    if (consent.changedAt) everSet[consent.channel.toLowerCase() as Channel] = true;
  }
  const { email, sms, phone, post } = contact.preferences;
  return {
    prefs: { email, sms, phone, post },
    everSet,
    filled: savedChannels({
      email: contact.email ?? "",
      phones: contact.phones,
      address: addressValues(contact.address),
    }),
  };
}

/**
 * The form as createContact / updateContact take it, and the keys of the phone rows sent
 * (the server names a phone by its place among them).
 */
export function contactInput(form: FormState, editing: boolean) {
  const { keys, inputs } = phoneInputs(form.phones, form.primaryKey);
  const preferences: PreferencesInput = {};
  for (const [channel, value] of Object.entries(form.prefs) as [Channel, boolean][]) {
    preferences[channel] = value;
  }
  const fields = {
    title: form.title || null,
    firstName: form.firstName,
    lastName: form.lastName,
    email: form.email.trim() || null,
    type: form.type,
    status: form.status,
    jobTitle: form.jobTitle.trim() || null,
    companyId: form.company?.id ?? null,
    productIds: form.products.map((p) => p.id),
    ownerId: form.owner?.id ?? null,
    phones: inputs,
    address: addressInput(form.address, editing),
    ...(Object.keys(preferences).length ? { preferences } : {}),
  };
  return { fields, phoneKeys: keys };
}

const KNOWN_FIELDS = new Set<string>([
  "title",
  "firstName",
  "lastName",
  "email",
  "type",
  "status",
  "jobTitle",
  "companyId",
  "productIds",
  "ownerId",
  "phones",
  "sendInvite",
  ...ADDRESS_ERROR_KEYS,
  ...CHANNELS.map((c) => `preferences.${c}`),
]);

/** Whether the form shows an error for this key beside its field. */
export const shownOnForm = (key: string) => KNOWN_FIELDS.has(key);
