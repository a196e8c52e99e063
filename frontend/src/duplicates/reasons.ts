import type { DuplicateReason } from "../gql/schema";
import { ALL_TYPENAMES } from "../lib/client";

/** Besides contacts, a dismissal or a merge changes the pairs (and the navigation's count). */
export const DUPLICATES_CONTEXT = { additionalTypenames: [...ALL_TYPENAMES, "DuplicateCandidate"] };

/**
 * Why two contacts may be one person, as sentences: "Same phone number", "Similar name,
 * same company". A similar name counts only with something else in common; when that is
 * neither an email, a phone nor the company, it was the city or the email's domain.
 */
export function reasonsInWords(reasons: readonly DuplicateReason[]): string[] {
  const has = (reason: DuplicateReason) => reasons.includes(reason);
  const words: string[] = [];
  if (has("SAME_EMAIL")) words.push("Same email address");
  if (has("SAME_PHONE")) words.push("Same phone number");
  if (has("SIMILAR_NAME")) {
    if (has("SAME_COMPANY")) words.push("Similar name, same company");
    else if (words.length) words.push("Similar name");
    else words.push("Similar name, same city or email domain");
  } else if (has("SAME_COMPANY")) {
    words.push("Same company");
  }
  return words;
}

/** How sure the score says we are, in a word and a badge tone. */
export function likelihood(score: number): { text: string; tone: "good" | "info" | "warn" } {
  if (score >= 90) return { text: "Almost certain", tone: "good" };
  if (score >= 75) return { text: "Likely", tone: "info" };
  return { text: "Possible", tone: "warn" };
}

/** The merge screen's address for these contacts, the first one kept unless changed. */
export function mergePath(ids: readonly string[]): string {
  return `/duplicates/merge?ids=${ids.map(encodeURIComponent).join(",")}`;
}
