import type { SetURLSearchParams } from "react-router";

/**
 * Change a list's view in the URL (search, filters, sort); a new view starts again from
 * the first page. `replace` keeps typing in a search box out of the history.
 */
export function updateParams(
  params: URLSearchParams,
  setParams: SetURLSearchParams,
  changes: Record<string, string | null>,
  replace = false,
) {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  next.delete("after");
  next.delete("before");
  setParams(next, { replace });
}

/** A URL value if it is one of `allowed`, else null. */
export function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** The sort orders every list offers, valued `FIELD.DIRECTION` as the URL keeps them. */
export const SORTS: { value: string; label: string }[] = [
  { value: "NAME.ASC", label: "Name A–Z" },
  { value: "NAME.DESC", label: "Name Z–A" },
  { value: "CREATED_AT.DESC", label: "Newest first" },
  { value: "CREATED_AT.ASC", label: "Oldest first" },
  { value: "UPDATED_AT.DESC", label: "Recently updated" },
  { value: "UPDATED_AT.ASC", label: "Least recently updated" },
];
