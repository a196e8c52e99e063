import { useId, useState } from "react";
import { useMutation, useQuery } from "urql";
import { NO_ERRORS, formErrors, type FormErrors } from "../components/dialogs";
import { Field, describedBy } from "../components/ui";
import { plural } from "../lib/format";
import { AudienceCounts } from "./AudienceCounts";
import {
  CampaignAudienceCountsDocument,
  SendCampaignDocument,
  type CampaignFieldsFragment,
} from "./campaigns.generated";
import { CAMPAIGN_CONTEXT, localInput, localToIso } from "./labels";

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** What the audience is made of, in a sentence. */
function audienceSummary(audience: CampaignFieldsFragment["audience"]): string {
  const parts = [
    ...audience.groups.map((g) => `group ${g.name}`),
    ...audience.segments.map((s) => `segment ${s.name}`),
  ];
  if (audience.contacts.length) parts.push(plural(audience.contacts.length, "single contact"));
  return parts.length ? parts.join(", ") : "nobody chosen yet";
}

/** The last step: the counts, what goes out, and Send now or Schedule. */
export function ConfirmStep({
  campaign,
  onBack,
  onEdit,
  onSent,
}: {
  campaign: CampaignFieldsFragment;
  onBack: () => void;
  onEdit: (step: "write" | "audience") => void;
  onSent: (notice: string) => void;
}) {
  const uid = useId();
  const [when, setWhen] = useState(() => localInput(60));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching }, send] = useMutation(SendCampaignDocument);
  const [{ data }] = useQuery({
    query: CampaignAudienceCountsDocument,
    variables: { id: campaign.id },
    requestPolicy: "cache-first",
    context: CAMPAIGN_CONTEXT,
  });
  const willReceive = data?.campaignPreview.willReceive;

  async function submit(scheduledAt: string | null) {
    const result = await send({ input: { campaignId: campaign.id, scheduledAt } }, CAMPAIGN_CONTEXT);
    const payload = result.data?.sendCampaign;
    if (payload?.campaign && payload.errors.length === 0) {
      onSent(
        scheduledAt
          ? `Scheduled ${campaign.name}. Until it is sent you can cancel it.`
          : `${campaign.name} is on its way to ${plural(willReceive ?? 0, "person", "people")}.`,
      );
    } else {
      setErrors(formErrors(result, payload, ["scheduledAt"], "Could not send the campaign."));
    }
  }

  function schedule() {
    const iso = localToIso(when);
    if (!iso) setErrors({ fields: { scheduledAt: "Give a date and a time." }, general: [] });
    else void submit(iso);
  }

  const whenId = `${uid}-when`;
  const whenError = errors.fields.scheduledAt;
  return (
    <div className="confirm">
      <section className="card" aria-labelledby={`${uid}-what`}>
        <h3 id={`${uid}-what`}>What goes out</h3>
        <dl className="details">
          <dt>Subject</dt>
          <dd>{campaign.subject || <span className="field-error">No subject yet</span>}</dd>
          <dt>To</dt>
          <dd>{audienceSummary(campaign.audience)}</dd>
        </dl>
        <p className="inline-links">
          <button type="button" className="link-button" onClick={() => onEdit("write")}>
            Change the email
          </button>
          <button type="button" className="link-button" onClick={() => onEdit("audience")}>
            Change the recipients
          </button>
        </p>
      </section>
      <AudienceCounts campaignId={campaign.id} title="Who receives it" />
      {willReceive === 0 && (
        <p className="notice notice-warning">Nobody would receive it now. Choose other recipients first.</p>
      )}
      {errors.general.length > 0 && (
        <div className="notice notice-error" role="alert">
          {errors.general.join(" ")}
        </div>
      )}
      <section className="card send-box" aria-labelledby={`${uid}-send`}>
        <h3 id={`${uid}-send`}>Send</h3>
        <p className="hint">
          Once sent or scheduled it cannot be changed; you can cancel it while it is scheduled or being sent.
        </p>
        <div className="send-options">
          <button
            type="button"
            className="button button-primary"
            disabled={fetching || !willReceive}
            onClick={() => void submit(null)}
          >
            Send now
          </button>
          <span className="send-or">or</span>
          <div className="send-later">
            <Field id={whenId} label={`Send at (${TIME_ZONE} time)`} error={whenError}>
              <input
                id={whenId}
                type="datetime-local"
                value={when}
                aria-invalid={whenError ? true : undefined}
                aria-describedby={describedBy(whenId, whenError)}
                onChange={(e) => setWhen(e.target.value)}
              />
            </Field>
            <button type="button" className="button" disabled={fetching} onClick={schedule}>
              Schedule
            </button>
          </div>
        </div>
      </section>
      <div className="form-actions step-actions">
        <button type="button" className="button" onClick={onBack}>
          ← Back: recipients
        </button>
      </div>
    </div>
  );
}
