import { useState } from "react";
import { useMutation } from "urql";
import { ALL_CONTEXT } from "../../lib/client";
import { mutationProblem } from "../../lib/problems";
import { SetPrimaryContactDocument } from "../contacts.generated";

/**
 * After restoring a contact whose company has no primary contact now: the offer to make them
 * primary (again), as a button in the notice that says they were restored.
 */
export function PrimaryOffer({ contact, company }: { contact: { id: string; fullName: string }; company: string }) {
  const [{ fetching }, setPrimary] = useMutation(SetPrimaryContactDocument);
  const [outcome, setOutcome] = useState<string | null>(null);
  if (outcome) return <>{outcome}</>;
  return (
    <>
      {company} has no primary contact now.{" "}
      <button
        type="button"
        className="button button-small"
        disabled={fetching}
        onClick={async () => {
          const result = await setPrimary({ input: { contactId: contact.id } }, ALL_CONTEXT);
          const problem = mutationProblem(result, result.data?.setPrimaryContact, "Something went wrong.");
          setOutcome(problem ?? `${contact.fullName} is the primary contact of ${company} again.`);
        }}
      >
        Make {contact.fullName} its primary contact
      </button>
    </>
  );
}
