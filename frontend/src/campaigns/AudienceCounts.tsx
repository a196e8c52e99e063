import { useId } from "react";
import { useQuery } from "urql";
import { errorMessage } from "../components/ui";
import { CampaignAudienceCountsDocument } from "./campaigns.generated";
import { CAMPAIGN_CONTEXT } from "./labels";

/** Who would receive the campaign if it were sent now, and who would be skipped and why. */
export function AudienceCounts({
  campaignId,
  title = "If it were sent now",
}: {
  campaignId: string;
  title?: string;
}) {
  const headingId = useId();
  const [{ data, error, stale }] = useQuery({
    query: CampaignAudienceCountsDocument,
    variables: { id: campaignId },
    requestPolicy: "cache-and-network",
    context: CAMPAIGN_CONTEXT,
  });
  const counts = data?.campaignPreview;
  return (
    <section
      className={`audience-counts${stale ? " is-stale" : ""}`}
      aria-labelledby={headingId}
      aria-live="polite"
    >
      <h3 id={headingId}>{title}</h3>
      {error && !counts && (
        <p className="notice notice-error">Could not count the recipients: {errorMessage(error)}</p>
      )}
      {counts && (
        <>
          <dl className="stats">
            <div className="stat stat-good">
              <dt>Will receive it</dt>
              <dd>{counts.willReceive}</dd>
            </div>
            <div className="stat">
              <dt>Skipped: no email consent</dt>
              <dd>{counts.skippedNoConsent}</dd>
            </div>
            <div className="stat">
              <dt>Skipped: no email address</dt>
              <dd>{counts.skippedNoEmail}</dd>
            </div>
            <div className="stat">
              <dt>Skipped: archived</dt>
              <dd>{counts.skippedArchived}</dd>
            </div>
          </dl>
          <p className="hint counts-hint">
            Each address gets it once, however many groups, segments or lists name it. Segments are counted as
            they are now and taken again when it is sent.
          </p>
          {counts.warnings.length > 0 && (
            <div className="notice notice-warning" role="alert">
              <ul>
                {counts.warnings.map((warning) => (
                  <li key={warning}>{warning}: it counts no one.</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
