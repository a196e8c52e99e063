import type { CombinedError } from "urql";

export const OFFLINE = "Could not reach the server. Check your connection and try again.";

type Payload = { errors: readonly { message: string }[] } | null | undefined;

/**
 * What went wrong with a mutation, in one sentence: the payload's errors, else the
 * request's own error, else `fallback`; null when it worked.
 */
export function mutationProblem(
  result: { error?: CombinedError },
  payload: Payload,
  fallback: string,
): string | null {
  if (payload) return payload.errors.length ? payload.errors.map((e) => e.message).join(" ") : null;
  return result.error?.message ?? fallback;
}
