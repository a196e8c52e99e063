import type {
  CommunicationChannel,
  ConsentSource,
  ContactStatus,
  ContactType,
  DeliveryStatus,
  InvitationStatus,
  MessageStatus,
  PhoneType,
  PortalStatus,
  Title,
} from "../gql/schema";

export const TITLES: Record<Title, string> = {
  MR: "Mr",
  MRS: "Mrs",
  MS: "Ms",
  MISS: "Miss",
  MX: "Mx",
  DR: "Dr",
  PROF: "Prof",
};

export const CONTACT_TYPES: Record<ContactType, string> = {
  LEAD: "Lead",
  PROSPECT: "Prospect",
  CLIENT: "Client",
  EMPLOYEE: "Employee",
  OTHER: "Other",
};

export const CONTACT_STATUSES: Record<ContactStatus, string> = {
  NEW: "New",
  CONTACTED: "Contacted",
  QUALIFIED: "Qualified",
  CONVERTED: "Converted",
  UNQUALIFIED: "Unqualified",
};

export const PHONE_TYPES: Record<PhoneType, string> = {
  MOBILE: "Mobile",
  OFFICE: "Office",
  HOME: "Home",
  FAX: "Fax",
  OTHER: "Other",
};

export const PORTAL_STATUSES: Record<PortalStatus, string> = {
  NOT_INVITED: "Not invited",
  INVITED: "Invited",
  ACTIVE: "Active",
};

export const INVITATION_STATUSES: Record<InvitationStatus, string> = {
  PENDING: "Pending",
  ACCEPTED: "Accepted",
  REVOKED: "Revoked",
  EXPIRED: "Expired",
  SUPERSEDED: "Replaced",
};

export const DELIVERY_STATUSES: Record<DeliveryStatus, string> = {
  QUEUED: "Queued",
  SENT: "Sent",
  FAILED: "Failed",
  LOGGED: "Not sent: no mail server",
};

export const DELIVERY_TONE = { QUEUED: "neutral", SENT: "good", FAILED: "warn", LOGGED: "muted" } as const;

export const MESSAGE_STATUSES: Record<MessageStatus, string> = {
  QUEUED: "Queued",
  SENDING: "Sending",
  SENT: "Sent",
  FAILED: "Failed",
  LOGGED: "Not sent (logged)",
};

export const MESSAGE_KINDS: Record<string, string> = {
  INVITATION: "Invitation",
  PASSWORD_RESET: "Password reset",
  TEST: "Test",
  CAMPAIGN: "Campaign",
};

export const CHANNELS: Record<CommunicationChannel, string> = {
  EMAIL: "Email",
  SMS: "SMS",
  PHONE: "Phone",
  POST: "Post",
};

export const CONSENT_SOURCES: Record<ConsentSource, string> = {
  STAFF: "staff",
  PORTAL: "the contact, in the portal",
  IMPORT: "import",
  UNSUBSCRIBE: "unsubscribe link",
};

export function keys<K extends string>(record: Record<K, string>): K[] {
  return Object.keys(record) as K[];
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  return dateFormat.format(new Date(value));
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  return dateTimeFormat.format(new Date(value));
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

export function countryName(code: string | null | undefined): string {
  if (!code) return "";
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** An address as the lines of an envelope. */
export function addressLines(
  address: {
    line1: string | null;
    line2: string | null;
    city: string | null;
    region: string | null;
    postalCode: string | null;
    country: string | null;
  } | null,
): string[] {
  if (!address) return [];
  return [
    address.line1,
    address.line2,
    [address.city, address.region].filter(Boolean).join(", "),
    address.postalCode,
    countryName(address.country),
  ].filter((line): line is string => Boolean(line));
}

/** The flag emoji of an ISO 3166 country code, from its regional indicator letters. */
export function flag(code: string): string {
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1a5 + c.charCodeAt(0)));
}

export function contactPath(id: string): string {
  return `/contacts/${encodeURIComponent(id)}`;
}

export function companyPath(id: string): string {
  return `/companies/${encodeURIComponent(id)}`;
}

/** Graph QL UserError paths (["input","phones","0","number"]) as form keys ("phones.0.number"). */
export function errorKey(field: readonly string[] | null | undefined): string {
  if (!field || field.length === 0) return "";
  const path = field[0] === "input" ? field.slice(1) : field;
  return path.join(".");
}

export type FieldErrors = Record<string, string>;

/**
 * Errors by form key. An error without a key, a second one for the same key, or one for a
 * field the form does not show (when `shown` is given) goes to `general`.
 */
export function collectErrors(
  errors: readonly { field?: readonly string[] | null; message: string }[],
  shown?: (key: string) => boolean,
): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const error of errors) {
    const key = errorKey(error.field);
    if (key && !(key in fields) && (!shown || shown(key))) fields[key] = error.message;
    else general.push(error.message);
  }
  return { fields, general };
}

export function groupPath(id: string): string {
  return `/groups/${encodeURIComponent(id)}`;
}

export function segmentPath(id: string): string {
  return `/segments/${encodeURIComponent(id)}`;
}

export function productPath(id: string): string {
  return `/products/${encodeURIComponent(id)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A list's count as people read it: "about 12,000" when the server estimated it. */
export function countText(count: number, estimated = false): string {
  if (!estimated) return count.toLocaleString("en-GB");
  const rounded = Number(count.toPrecision(count >= 1000 ? 2 : 1));
  return `about ${rounded.toLocaleString("en-GB")}`;
}
