import { useEffect, useMemo, useState } from "react";
import { useQuery, type CombinedError } from "urql";
import { errorMessage } from "../components/ui";
import { errorKey } from "../lib/format";
import { CampaignEmailPreviewDocument } from "./campaigns.generated";
import { CAMPAIGN_CONTEXT } from "./labels";

const DELAY_MS = 400;

/** `value`, once it has stopped changing for `delay` ms. */
function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export type PreviewProblem = { field: string; message: string };

function problemOf(error: CombinedError): PreviewProblem {
  const first = error.graphQLErrors[0];
  const field = first?.extensions?.field;
  return {
    field: Array.isArray(field) ? errorKey(field as string[]) : "",
    message: first ? first.message : errorMessage(error),
  };
}

/**
 * The email as the contact (or, with none, anyone) would get it, from the subject and body
 * being written; asked again once typing pauses. A broken template is a problem on its field.
 */
export function useEmailPreview(subject: string, body: string, contactId: string | null) {
  const wanted = JSON.stringify([subject, body, contactId]);
  const settled = useDebounced(wanted, DELAY_MS);
  const variables = useMemo(() => {
    const [s, b, c] = JSON.parse(settled) as [string, string, string | null];
    return { subject: s, body: b, contactId: c };
  }, [settled]);
  const [{ data, error, fetching }] = useQuery({
    query: CampaignEmailPreviewDocument,
    variables,
    requestPolicy: "cache-and-network",
    context: CAMPAIGN_CONTEXT,
  });
  return {
    email: error ? null : (data?.campaignEmail ?? null),
    problem: error ? problemOf(error) : null,
    updating: fetching || settled !== wanted,
  };
}
