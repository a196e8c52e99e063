import type { NoteKind, TimelineKind } from "../gql/schema";

/** The families of events: each has its filter chip, its colour and its default icon. */
export type Family = "notes" | "changes" | "emails" | "portal" | "groups";

// Partial on purpose: the server may record kinds this build does not know yet; they
// show with the generic icon under "All" rather than break the page or the build.
const FAMILIES: Partial<Record<TimelineKind, Family>> = {
  NOTE: "notes",
  CREATED: "changes",
  UPDATED: "changes",
  ARCHIVED: "changes",
  RESTORED: "changes",
  CONVERTED: "changes",
  MERGED: "changes",
  PRIMARY_CONTACT_SET: "changes",
  IMPORTED: "changes",
  EMAIL_SENT: "emails",
  EMAIL_FAILED: "emails",
  CAMPAIGN_SENT: "emails",
  UNSUBSCRIBED: "emails",
  INVITED: "portal",
  INVITE_RESENT: "portal",
  INVITE_REVOKED: "portal",
  ACTIVATED: "portal",
  MESSAGE: "portal",
  ADDED_TO_GROUP: "groups",
  REMOVED_FROM_GROUP: "groups",
};

export function familyOf(kind: string): Family | null {
  return FAMILIES[kind as TimelineKind] ?? null;
}

export type Filter = { key: "all" | Family; label: string; kinds: TimelineKind[] | null };

const ALL: Filter = { key: "all", label: "All", kinds: null };
const FAMILY_LABELS: Record<Family, string> = {
  notes: "Notes",
  changes: "Changes",
  emails: "Emails",
  portal: "Portal",
  groups: "Groups",
};

function filterOf(family: Family): Filter {
  const kinds = (Object.keys(FAMILIES) as TimelineKind[]).filter((kind) => FAMILIES[kind] === family);
  return { key: family, label: FAMILY_LABELS[family], kinds };
}

/** The chips above a contact's timeline, and above a company's (notes and changes only). */
export const CONTACT_FILTERS: Filter[] = [
  ALL,
  ...(["notes", "changes", "emails", "portal", "groups"] as const).map(filterOf),
];
export const COMPANY_FILTERS: Filter[] = [ALL, filterOf("notes"), filterOf("changes")];

export const NOTE_KINDS: Record<NoteKind, string> = {
  CALL: "Call",
  MEETING: "Meeting",
  EMAIL: "Email",
  OTHER: "Other",
};

/** What the composer's button says for each kind of note. */
export const SAVE_LABELS: Record<NoteKind, string> = {
  CALL: "Log call",
  MEETING: "Log meeting",
  EMAIL: "Log email",
  OTHER: "Add note",
};

export const ADDED_NOTICES: Record<NoteKind, string> = {
  CALL: "Call logged.",
  MEETING: "Meeting logged.",
  EMAIL: "Email logged.",
  OTHER: "Note added.",
};

/** How a saved note is named in sentences ("Call logged.", "Delete this meeting?"). */
export const NOTE_NOUNS: Record<NoteKind, string> = {
  CALL: "call",
  MEETING: "meeting",
  EMAIL: "email",
  OTHER: "note",
};
