import type { DuplicateReason } from "../gql/schema";

const REASON_WORDS: Record<DuplicateReason, string> = {
  SAME_EMAIL: "same email",
  SAME_PHONE: "same phone number",
  SIMILAR_NAME: "similar name",
  SAME_COMPANY: "same company",
};

/** Why two contacts may be one person, in words: "same phone number, similar name". */
export function reasonWords(reasons: readonly DuplicateReason[]): string {
  return reasons.map((reason) => REASON_WORDS[reason]).join(", ");
}
