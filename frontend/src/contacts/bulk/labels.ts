import type { BulkAction } from "../../gql/schema";
import { plural } from "../../lib/format";

type Wording = {
  /** The item of the bar's Actions menu. */
  menu: string;
  /** The confirmation's button, before "N contacts". */
  verb: string;
  /** The progress line while it runs: "Setting status… 4,500 of 12,000". */
  running: string;
  /** Whether a value is chosen before the confirmation. */
  needsValue: boolean;
};

/** Each bulk action as the bar's menu, its dialogs and its progress name it, in menu order. */
export const BULK_ACTIONS: Record<BulkAction, Wording> = {
  ADD_TO_GROUP: { menu: "Add to group…", verb: "Add", running: "Adding to the group", needsValue: true },
  REMOVE_FROM_GROUP: {
    menu: "Remove from group…",
    verb: "Remove",
    running: "Removing from the group",
    needsValue: true,
  },
  SET_TYPE: { menu: "Set type…", verb: "Change", running: "Setting type", needsValue: true },
  SET_STATUS: { menu: "Set status…", verb: "Change", running: "Setting status", needsValue: true },
  SET_OWNER: { menu: "Set owner…", verb: "Change", running: "Setting owner", needsValue: true },
  SET_COMPANY: { menu: "Set company…", verb: "Change", running: "Setting company", needsValue: true },
  ADD_PRODUCT: { menu: "Add a product…", verb: "Add it to", running: "Adding the product", needsValue: true },
  INVITE: { menu: "Send or resend invitations…", verb: "Invite", running: "Sending invitations", needsValue: false },
  ARCHIVE: { menu: "Archive…", verb: "Archive", running: "Archiving", needsValue: false },
  RESTORE: { menu: "Restore…", verb: "Restore", running: "Restoring", needsValue: false },
  DELETE: { menu: "Delete permanently…", verb: "Delete", running: "Deleting", needsValue: false },
};

export type BulkSkipCount = { reason: string; count: number };

/**
 * Why contacts are left as they are: the one reason ("no email address"), or each with its
 * count, largest first ("no email address (9); already active in the portal (3)").
 */
export function skipReasons(skipped: readonly BulkSkipCount[]): string {
  const reasons = skipped.filter((s) => s.count > 0).sort((a, b) => b.count - a.count);
  if (reasons.length === 1) return lowerFirst(reasons[0].reason);
  return reasons.map((s) => `${lowerFirst(s.reason)} (${s.count.toLocaleString("en-GB")})`).join("; ");
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "1 contact", "4,500 contacts". */
export function contactCount(n: number): string {
  return plural(n, "contact").replace(String(n), n.toLocaleString("en-GB"));
}

/** The outcome of a finished operation, in words, as the list's notice says it. */
export function outcomeText(operation: {
  action: BulkAction;
  state: string;
  description: string;
  total: number;
  processed: number;
  changed: number;
  skipped: readonly BulkSkipCount[];
  failed: number;
  errorMessage?: string | null;
}): string {
  const done = DONE_SENTENCES[operation.action](operation.changed, operation.description);
  const parts = [done];
  if (operation.state === "CANCELLED") {
    const { processed, total } = operation;
    parts.unshift(`Stopped after ${processed.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")}.`);
  }
  const skipped = operation.skipped.reduce((sum, s) => sum + s.count, 0);
  if (skipped > 0) parts.push(`${contactCount(skipped)} left as they were: ${skipReasons(operation.skipped)}.`);
  if (operation.failed > 0) parts.push(`${contactCount(operation.failed)} failed.`);
  if (operation.state === "FAILED") parts.push(`It stopped: ${operation.errorMessage ?? "something went wrong"}.`);
  return parts.join(" ");
}

const DONE_SENTENCES: Record<BulkAction, (changed: number, description: string) => string> = {
  ADD_TO_GROUP: described,
  REMOVE_FROM_GROUP: described,
  SET_TYPE: described,
  SET_STATUS: described,
  SET_OWNER: described,
  SET_COMPANY: described,
  ADD_PRODUCT: described,
  INVITE: (n) => `Sent ${plural(n, "invitation")}.`,
  ARCHIVE: (n) => `Archived ${contactCount(n)}.`,
  RESTORE: (n) => `Restored ${contactCount(n)}.`,
  DELETE: (n) => `Deleted ${contactCount(n)}.`,
};

function described(changed: number, description: string): string {
  return `${description}: ${contactCount(changed)} changed.`;
}
