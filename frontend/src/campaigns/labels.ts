import type { CampaignStatus, RecipientStatus, SkipReason } from "../gql/schema";
import { ALL_TYPENAMES } from "../lib/client";
import { formatDateTime } from "../lib/format";

/** What a campaign's pages show, and what its changes may alter (pasting makes contacts). */
export const CAMPAIGN_CONTEXT = { additionalTypenames: [...ALL_TYPENAMES, "Campaign"] };

export const CAMPAIGN_STATUSES: Record<CampaignStatus, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  SENDING: "Sending",
  SENT: "Sent",
  CANCELLED: "Cancelled",
};

export const CAMPAIGN_TONE = {
  DRAFT: "muted",
  SCHEDULED: "info",
  SENDING: "info",
  SENT: "good",
  CANCELLED: "warn",
} as const;

export const RECIPIENT_STATUSES: Record<RecipientStatus, string> = {
  QUEUED: "Queued",
  SENT: "Sent",
  LOGGED: "Not sent (no mail server)",
  FAILED: "Failed",
  SKIPPED: "Skipped",
};

export const RECIPIENT_TONE = {
  QUEUED: "neutral",
  SENT: "good",
  LOGGED: "muted",
  FAILED: "warn",
  SKIPPED: "muted",
} as const;

export const SKIP_REASONS: Record<SkipReason, string> = {
  NO_CONSENT: "no email consent",
  NO_EMAIL: "no email address",
  ARCHIVED: "archived",
  CANCELLED: "cancelled before it was sent",
};

export function campaignPath(id: string): string {
  return `/campaigns/${encodeURIComponent(id)}`;
}

/** When the campaign went, or is to go, as a list or a header says it. */
export function campaignWhen(campaign: {
  status: CampaignStatus;
  scheduledAt?: string | null;
  sentAt?: string | null;
}): string {
  switch (campaign.status) {
    case "SENT":
      return `Sent ${formatDateTime(campaign.sentAt)}`;
    case "SCHEDULED":
      return `Scheduled for ${formatDateTime(campaign.scheduledAt)}`;
    case "SENDING":
      return `Sending since ${formatDateTime(campaign.scheduledAt)}`;
    case "CANCELLED":
      return "Cancelled";
    default:
      return "Not sent yet";
  }
}

const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, "0");

/** A moment as a `datetime-local` value in the browser's time zone ("2026-12-01T09:30"). */
function localMinute(moment: Date): string {
  const date = `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
  return `${date}T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

/**
 * A `datetime-local` value, read as the browser's local time, as an ISO time with that
 * offset ("2026-12-01T09:30:00+01:00"); null when it is not a time.
 */
export function localToIso(local: string): string | null {
  const moment = new Date(local);
  if (!local || Number.isNaN(moment.getTime())) return null;
  const offset = -moment.getTimezoneOffset();
  return `${localMinute(moment)}:00${offset < 0 ? "-" : "+"}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** Now plus `minutes`, as a `datetime-local` value. */
export function localInput(minutesAhead: number): string {
  return localMinute(new Date(Date.now() + minutesAhead * 60_000));
}
