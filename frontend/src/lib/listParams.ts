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
