import type {
  ContactFilter,
  ContactOrderField,
  ContactStatus,
  ContactType,
  PortalStatus,
  SortDirection,
} from "../gql/schema";
import { CONTACT_STATUSES, CONTACT_TYPES, PORTAL_STATUSES, countryName } from "../lib/format";

/**
 * The contacts list's filters, as they live in the URL (so a view is bookmarkable and Back
 * works) and as they go to the API. Dates are whole local days, both ends included.
 */

export type Channel = "email" | "sms" | "phone" | "post";
export type Show = "active" | "archived" | "all";
export type Range = { from: string | null; to: string | null };

/** The owner filter's value for contacts nobody owns (otherwise a staff user's id). */
export const NO_OWNER = "none";

export type Filters = {
  type: ContactType[];
  status: ContactStatus[];
  /** A staff user's id ("Me" is one's own), or NO_OWNER. */
  owner: string | null;
  portal: PortalStatus[];
  company: string | null;
  group: string | null;
  product: string | null;
  country: string | null;
  city: string | null;
  industry: string | null;
  email: boolean | null;
  consent: Partial<Record<Channel, boolean>>;
  created: Range;
  contacted: Range;
  show: Show;
};

export type FilterKind =
  | "type"
  | "status"
  | "owner"
  | "company"
  | "group"
  | "product"
  | "portal"
  | "country"
  | "city"
  | "industry"
  | "email"
  | "consent"
  | "created"
  | "contacted"
  | "show";

export const FILTER_LABELS: Record<FilterKind, string> = {
  type: "Type",
  status: "Status",
  owner: "Owner",
  company: "Company",
  group: "Group",
  product: "Product",
  portal: "Portal status",
  country: "Country",
  city: "City",
  industry: "Industry",
  email: "Has email",
  consent: "Consent",
  created: "Created",
  contacted: "Last contacted",
  show: "Archived",
};

export const FILTER_KINDS = Object.keys(FILTER_LABELS) as FilterKind[];

export const CHANNELS: Record<Channel, string> = {
  email: "Email",
  sms: "SMS",
  phone: "Phone",
  post: "Post",
};

export const SHOW_LABELS: Record<Show, string> = {
  active: "Active contacts",
  archived: "Archived contacts",
  all: "Active and archived",
};

const URL_KEYS = [
  "type",
  "status",
  "owner",
  "portal",
  "company",
  "group",
  "product",
  "country",
  "city",
  "industry",
  "email",
  "consent",
  "created",
  "contacted",
  "show",
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function list<T extends string>(value: string | null, allowed: Record<T, string>): T[] {
  if (!value) return [];
  return value.split(",").filter((v): v is T => v in allowed);
}

function range(value: string | null): Range {
  const [from = "", to = ""] = (value ?? "").split("..");
  return { from: DAY.test(from) ? from : null, to: DAY.test(to) ? to : null };
}

function text(value: string | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

export function readFilters(params: URLSearchParams): Filters {
  const consent: Filters["consent"] = {};
  for (const part of (params.get("consent") ?? "").split(",")) {
    const [channel, value] = part.split(":");
    if (channel in CHANNELS && (value === "yes" || value === "no")) {
      consent[channel as Channel] = value === "yes";
    }
  }
  const show = params.get("show");
  const country = text(params.get("country"))?.toUpperCase() ?? null;
  const email = params.get("email");
  return {
    type: list(params.get("type"), CONTACT_TYPES),
    status: list(params.get("status"), CONTACT_STATUSES),
    owner: text(params.get("owner")),
    portal: list(params.get("portal"), PORTAL_STATUSES),
    company: text(params.get("company")),
    group: text(params.get("group")),
    product: text(params.get("product")),
    country: country && /^[A-Z]{2}$/.test(country) ? country : null,
    city: text(params.get("city")),
    industry: text(params.get("industry")),
    email: email === "yes" ? true : email === "no" ? false : null,
    consent,
    created: range(params.get("created")),
    contacted: range(params.get("contacted")),
    show: show === "archived" || show === "all" ? show : "active",
  };
}

function rangeParam(r: Range): string | null {
  return r.from || r.to ? `${r.from ?? ""}..${r.to ?? ""}` : null;
}

/** `base` with the filter keys replaced by `f`; other keys (search, sort) are kept. */
export function writeFilters(f: Filters, base = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const key of URL_KEYS) next.delete(key);
  const consent = (Object.keys(CHANNELS) as Channel[])
    .filter((c) => f.consent[c] !== undefined)
    .map((c) => `${c}:${f.consent[c] ? "yes" : "no"}`)
    .join(",");
  const values: Record<string, string | null> = {
    type: f.type.join(",") || null,
    status: f.status.join(",") || null,
    owner: f.owner,
    portal: f.portal.join(",") || null,
    company: f.company,
    group: f.group,
    product: f.product,
    country: f.country,
    city: f.city,
    industry: f.industry,
    email: f.email === null ? null : f.email ? "yes" : "no",
    consent: consent || null,
    created: rangeParam(f.created),
    contacted: rangeParam(f.contacted),
    show: f.show === "active" ? null : f.show,
  };
  for (const [key, value] of Object.entries(values)) if (value) next.set(key, value);
  return next;
}

function startOfDay(day: string, plusDays = 0): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The local calendar day of an instant, as YYYY-MM-DD. */
export function localDay(iso: string, minusMs = 0): string {
  const t = new Date(new Date(iso).getTime() - minusMs);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}

function apiRange(r: Range) {
  if (!r.from && !r.to) return null;
  // `to` is exclusive in the API: the day after the last day wanted.
  return { from: r.from ? startOfDay(r.from) : null, to: r.to ? startOfDay(r.to, 1) : null };
}

export function toContactFilter(f: Filters): ContactFilter {
  const filter: ContactFilter = {
    archived: f.show === "active" ? false : f.show === "archived" ? true : null,
  };
  if (f.type.length) filter.type = f.type;
  if (f.status.length) filter.status = f.status;
  if (f.owner === NO_OWNER) filter.hasOwner = false;
  else if (f.owner) filter.ownerId = f.owner;
  if (f.portal.length) filter.portalStatus = f.portal;
  if (f.company) filter.companyId = f.company;
  if (f.group) filter.groupId = f.group;
  if (f.product) filter.productId = f.product;
  if (f.country) filter.country = f.country;
  if (f.city) filter.city = f.city;
  if (f.industry) filter.industry = f.industry;
  if (f.email !== null) filter.hasEmail = f.email;
  if (Object.keys(f.consent).length) filter.consent = { ...f.consent };
  const created = apiRange(f.created);
  if (created) filter.createdAt = created;
  const contacted = apiRange(f.contacted);
  if (contacted) filter.lastContactedAt = contacted;
  return filter;
}

type RangeValue = { from?: string | null; to?: string | null } | null | undefined;

export type SavedFilter = {
  type?: readonly ContactType[] | null;
  status?: readonly ContactStatus[] | null;
  ownerId?: string | null;
  hasOwner?: boolean | null;
  portalStatus?: readonly PortalStatus[] | null;
  companyId?: string | null;
  groupId?: string | null;
  productId?: string | null;
  archived?: boolean | null;
  country?: string | null;
  city?: string | null;
  industry?: string | null;
  hasEmail?: boolean | null;
  consent?: Partial<Record<Channel, boolean | null>> | null;
  createdAt?: RangeValue;
  lastContactedAt?: RangeValue;
};

function fromRange(r: RangeValue): Range {
  return {
    from: r?.from ? localDay(r.from) : null,
    to: r?.to ? localDay(r.to, 1) : null,
  };
}

/** A segment's saved filter, in the list's terms. */
export function fromSavedFilter(s: SavedFilter): Filters {
  const consent: Filters["consent"] = {};
  for (const channel of Object.keys(CHANNELS) as Channel[]) {
    const value = s.consent?.[channel];
    if (typeof value === "boolean") consent[channel] = value;
  }
  return {
    type: [...(s.type ?? [])],
    status: [...(s.status ?? [])],
    owner: s.hasOwner === false ? NO_OWNER : (s.ownerId ?? null),
    portal: [...(s.portalStatus ?? [])],
    company: s.companyId ?? null,
    group: s.groupId ?? null,
    product: s.productId ?? null,
    country: s.country ?? null,
    city: s.city ?? null,
    industry: s.industry ?? null,
    email: s.hasEmail ?? null,
    consent,
    created: fromRange(s.createdAt),
    contacted: fromRange(s.lastContactedAt),
    show: s.archived === false ? "active" : s.archived === true ? "archived" : "all",
  };
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return dayFormat.format(new Date(y, m - 1, d));
}

export function describeRange(r: Range): string {
  if (r.from && r.to) return r.from === r.to ? `on ${formatDay(r.from)}` : `${formatDay(r.from)} – ${formatDay(r.to)}`;
  if (r.from) return `from ${formatDay(r.from)}`;
  return `until ${formatDay(r.to ?? "")}`;
}

export type Chip = {
  key: string;
  kind: FilterKind;
  /** "Type", "Email consent" */
  name: string;
  /** "Lead, Client" */
  value: string;
  without: (f: Filters) => Filters;
};

export type FilterNames = {
  company?: string | null;
  group?: string | null;
  product?: string | null;
  /** "Me" for one's own id. */
  owner?: string | null;
};

/** One chip for each active filter, in the order of the Add filter menu. */
export function filterChips(f: Filters, names: FilterNames): Chip[] {
  const chips: Chip[] = [];
  const add = (kind: FilterKind, value: string, without: Chip["without"], name = FILTER_LABELS[kind], key: string = kind) =>
    chips.push({ key, kind, name, value, without });
  if (f.type.length) add("type", f.type.map((t) => CONTACT_TYPES[t]).join(", "), (x) => ({ ...x, type: [] }));
  if (f.status.length) {
    add("status", f.status.map((s) => CONTACT_STATUSES[s]).join(", "), (x) => ({ ...x, status: [] }));
  }
  if (f.owner) {
    const owner = f.owner === NO_OWNER ? "Nobody" : (names.owner ?? (names.owner === null ? "deleted user" : "…"));
    add("owner", owner, (x) => ({ ...x, owner: null }));
  }
  if (f.company) {
    add("company", names.company ?? (names.company === null ? "deleted company" : "…"), (x) => ({ ...x, company: null }));
  }
  if (f.group) {
    add("group", names.group ?? (names.group === null ? "deleted group" : "…"), (x) => ({ ...x, group: null }));
  }
  if (f.product) {
    const product = names.product ?? (names.product === null ? "deleted product" : "…");
    add("product", product, (x) => ({ ...x, product: null }));
  }
  if (f.portal.length) {
    add("portal", f.portal.map((p) => PORTAL_STATUSES[p]).join(", "), (x) => ({ ...x, portal: [] }));
  }
  if (f.country) add("country", countryName(f.country), (x) => ({ ...x, country: null }));
  if (f.city) add("city", f.city, (x) => ({ ...x, city: null }));
  if (f.industry) add("industry", f.industry, (x) => ({ ...x, industry: null }));
  if (f.email !== null) add("email", f.email ? "yes" : "no", (x) => ({ ...x, email: null }));
  for (const channel of Object.keys(CHANNELS) as Channel[]) {
    const value = f.consent[channel];
    if (value === undefined) continue;
    add(
      "consent",
      value ? "given" : "not given",
      (x) => {
        const consent = { ...x.consent };
        delete consent[channel];
        return { ...x, consent };
      },
      `${CHANNELS[channel]} consent`,
      `consent-${channel}`,
    );
  }
  if (f.created.from || f.created.to) {
    add("created", describeRange(f.created), (x) => ({ ...x, created: { from: null, to: null } }));
  }
  if (f.contacted.from || f.contacted.to) {
    add("contacted", describeRange(f.contacted), (x) => ({ ...x, contacted: { from: null, to: null } }));
  }
  if (f.show !== "active") {
    add("show", f.show === "archived" ? "archived only" : "active and archived", (x) => ({ ...x, show: "active" }));
  }
  return chips;
}

/** Anything narrower than "all active contacts". */
export function hasFilters(f: Filters): boolean {
  return filterChips(f, {}).some((c) => c.kind !== "show");
}

const SORT_FIELDS: ContactOrderField[] = ["NAME", "CREATED_AT", "UPDATED_AT", "LAST_CONTACTED_AT"];

export function readSort(params: URLSearchParams): { field: ContactOrderField; direction: SortDirection } {
  const sortParam = params.get("sort") as ContactOrderField | null;
  const field: ContactOrderField = sortParam && SORT_FIELDS.includes(sortParam) ? sortParam : "NAME";
  const direction: SortDirection = params.get("dir") === "DESC" ? "DESC" : "ASC";
  return { field, direction };
}
