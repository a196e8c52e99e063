import type { NoteKind } from "../gql/schema";
import { familyOf } from "./kinds";

// Line icons on a 24-unit grid, drawn with the text's colour: a few hundred bytes in all,
// where an icon library would cost more than the whole timeline.

/** An SVG path of a circle, so every icon is a list of paths. */
function circle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
}

const PERSON = [circle(9, 7, 4), "M3 21v-2a4 4 0 0 1 4-4h4a4 4 0 0 1 4 4v2"];
const ENVELOPE = ["M5 5h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z", "M3 7l9 6 9-6"];
const SEND = ["M21 3L10 14", "M21 3l-6.5 18-4-7.5L3 9.5z"];
const SLASHED = [circle(12, 12, 9), "M5.6 5.6l12.8 12.8"];

const ICONS = {
  call: ["M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2"],
  meeting: [...PERSON, "M16 3.1a4 4 0 0 1 0 7.8", "M21 21v-2a4 4 0 0 0-3-3.9"],
  email: ENVELOPE,
  note: ["M6 3h9l4 4v14H6z", "M14 3v5h5", "M9 13h6", "M9 17h4"],
  created: [circle(12, 12, 9), "M12 8v8", "M8 12h8"],
  updated: ["M4 20h4L18.5 9.5a2.1 2.1 0 0 0-3-3L5 17v3", "M13.5 7.5l3 3"],
  archived: ["M3 4h18v4H3z", "M5 8v11a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8", "M10 12h4"],
  restored: ["M4 4v5h5", "M5 15a8 8 0 1 0 1.5-8.5L4 9"],
  converted: ["M3 17l6-6 4 4 8-8", "M14 7h7v7"],
  sent: SEND,
  revoked: SLASHED,
  activated: [...PERSON, "M16 11l2 2 4-4"],
  failed: ["M12 9v4", "M12 17h.01", "M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"],
  joined: [...PERSON, "M19 8v6", "M16 11h6"],
  left: [...PERSON, "M16 11h6"],
  imported: ["M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2", "M7 11l5 5 5-5", "M12 4v12"],
  campaign: ["M3 10v4a1 1 0 0 0 1 1h2l5 4V5L6 9H4a1 1 0 0 0-1 1z", "M15 9a3 3 0 0 1 0 6", "M18 6a7 7 0 0 1 0 12"],
  message: ["M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"],
  merged: [circle(6, 5, 2), circle(6, 19, 2), circle(18, 12, 2), "M6 7v10", "M6 7a5 5 0 0 0 5 5h5"],
  star: ["M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2-5.6-2.9-5.6 2.9 1.1-6.2L3 9.6l6.2-.9z"],
  other: [circle(12, 12, 3)],
  link: ["M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1", "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"],
  eye: ["M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z", circle(12, 12, 3)],
} satisfies Record<string, string[]>;

export type IconName = keyof typeof ICONS;

const BY_KIND: Record<string, IconName> = {
  CREATED: "created",
  UPDATED: "updated",
  ARCHIVED: "archived",
  RESTORED: "restored",
  CONVERTED: "converted",
  INVITED: "sent",
  INVITE_RESENT: "sent",
  INVITE_REVOKED: "revoked",
  ACTIVATED: "activated",
  EMAIL_SENT: "email",
  EMAIL_FAILED: "failed",
  ADDED_TO_GROUP: "joined",
  REMOVED_FROM_GROUP: "left",
  IMPORTED: "imported",
  CAMPAIGN_SENT: "campaign",
  UNSUBSCRIBED: "revoked",
  MESSAGE: "message",
  MERGED: "merged",
  PRIMARY_CONTACT_SET: "star",
};

const BY_NOTE_KIND: Record<NoteKind, IconName> = {
  CALL: "call",
  MEETING: "meeting",
  EMAIL: "email",
  OTHER: "note",
};

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {ICONS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}

export function NoteKindIcon({ kind }: { kind: NoteKind }) {
  return <Icon name={BY_NOTE_KIND[kind]} />;
}

/** An event's badge on the timeline's line: its icon, in its family's colour. */
export function EventIcon({ kind, noteKind }: { kind: string; noteKind?: NoteKind | null }) {
  const name = noteKind ? BY_NOTE_KIND[noteKind] : (BY_KIND[kind] ?? "other");
  const tone = kind === "EMAIL_FAILED" ? "failed" : (familyOf(kind) ?? "other");
  return (
    <span className={`tl-icon tl-${tone}`}>
      <Icon name={name} />
    </span>
  );
}
