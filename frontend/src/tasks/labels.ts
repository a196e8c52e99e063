import type { TaskKind } from "../gql/schema";
import { ALL_TYPENAMES } from "../lib/client";

export const TASK_KINDS: Record<TaskKind, string> = {
  TODO: "To do",
  CALL: "Call",
  MEETING: "Meeting",
  EMAIL: "Email",
};

/** Lists of tasks ask again after any task changes (even when they showed none). */
export const TASK_CONTEXT = { additionalTypenames: ["Task"] };

/** A task's change can alter the lists of tasks, and (logged as a note) its contact's page. */
export const TASK_CHANGE_CONTEXT = { additionalTypenames: [...ALL_TYPENAMES, "Task"] };

/** Completing these can log them as a note on the contact (or company), like "Log a call". */
export function canLogAsNote(task: { kind: TaskKind; contact: unknown; company: unknown }): boolean {
  return task.kind !== "TODO" && Boolean(task.contact || task.company);
}

/** The browser's time zone, for what "today" and "this week" mean to the server. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Midnight starting the local day of `moment`, `plusDays` later. */
export function startOfDay(moment: Date | number, plusDays = 0): Date {
  const day = new Date(moment);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + plusDays);
}

const time = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const weekdayDate = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const fullDate = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});

/** When a task is due, in the reader's words and locale, to follow "Due" or "was due": "today,
 * 14:00", "tomorrow, 09:00", "Thu 3 Dec, 09:00" (the year when it is not this one). */
export function dueText(dueAt: string, now: number = Date.now()): string {
  const due = new Date(dueAt);
  const days = Math.round((startOfDay(due).getTime() - startOfDay(now).getTime()) / 86_400_000);
  const at = time.format(due);
  if (days === 0) return `today, ${at}`;
  if (days === 1) return `tomorrow, ${at}`;
  if (days === -1) return `yesterday, ${at}`;
  const date = due.getFullYear() === new Date(now).getFullYear() ? weekdayDate : fullDate;
  return `${date.format(due)}, ${at}`;
}

/** The due-time choices of the task form; "custom" shows a date and time input. */
export type DueChoice = "none" | "tomorrow" | "in3days" | "nextWeek" | "custom";

export const DUE_CHOICES: Record<DueChoice, string> = {
  none: "No due date",
  tomorrow: "Tomorrow",
  in3days: "In 3 days",
  nextWeek: "Next week",
  custom: "Custom…",
};

const MORNING = 9;

/** The moment a preset stands for: 09:00 on that local day (next week: next Monday). */
export function presetDue(choice: Exclude<DueChoice, "none" | "custom">, now: number = Date.now()): Date {
  const today = startOfDay(now);
  const weekday = (today.getDay() + 6) % 7; // Monday 0
  const plusDays = { tomorrow: 1, in3days: 3, nextWeek: 7 - weekday }[choice];
  const day = startOfDay(today, plusDays);
  day.setHours(MORNING);
  return day;
}

/** "Follow up" on a note: a task about the same contact in 3 days, named after the note. */
export function followUpTitle(note: { body: string }): string {
  const firstLine = note.body.trim().split("\n")[0] ?? "";
  const words = firstLine.length > 80 ? `${firstLine.slice(0, 79).trimEnd()}…` : firstLine;
  return words ? `Follow up: ${words}` : "Follow up";
}
