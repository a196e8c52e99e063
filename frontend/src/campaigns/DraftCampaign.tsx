import { useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useMutation } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog, NO_ERRORS, formErrors, type FormErrors } from "../components/dialogs";
import { NoticeBar, usePassedNotice } from "../components/ui";
import { oneOf } from "../lib/listParams";
import { mutationProblem } from "../lib/problems";
import { useMailConfigured } from "../mail/NoMailServerBanner";
import { AudienceStep } from "./AudienceStep";
import { SendTestDialog } from "./CampaignDialogs";
import { CampaignHeader } from "./CampaignPage";
import {
  DeleteCampaignDocument,
  UpdateCampaignDocument,
  type CampaignFieldsFragment,
} from "./campaigns.generated";
import { ConfirmStep } from "./ConfirmStep";
import type { ContactRef } from "./ContactSelect";
import { CAMPAIGN_CONTEXT } from "./labels";
import { WriteStep, type Draft } from "./WriteStep";

const STEPS = [
  { step: "write", label: "Write", title: "Write the email" },
  { step: "audience", label: "Recipients", title: "Choose who receives it" },
  { step: "confirm", label: "Confirm and send", title: "Check and send" },
] as const;
type Step = (typeof STEPS)[number]["step"];
const STEP_KEYS = STEPS.map((s) => s.step);

function draftOf(campaign: CampaignFieldsFragment): Draft {
  return { name: campaign.name, subject: campaign.subject, body: campaign.body };
}

/** A draft campaign in three steps (kept in the address as `step`): write, recipients, send. */
export function DraftCampaign({ campaign }: { campaign: CampaignFieldsFragment }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const step: Step = oneOf(params.get("step"), STEP_KEYS) ?? "write";
  const current = STEPS.findIndex((s) => s.step === step);
  const [notice, setNotice] = usePassedNotice();
  const [draft, setDraft] = useState<Draft>(() => draftOf(campaign));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [previewAs, setPreviewAs] = useState<ContactRef | null>(null);
  const [testOpen, setTestOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [{ fetching: saving }, update] = useMutation(UpdateCampaignDocument);
  const [, remove] = useMutation(DeleteCampaignDocument);
  const mailConfigured = useMailConfigured();
  const saved = draftOf(campaign);
  const dirty = draft.name !== saved.name || draft.subject !== saved.subject || draft.body !== saved.body;

  /** Saves what was written; false (with the problems shown) when it was refused. */
  async function save(): Promise<boolean> {
    if (!dirty) return true;
    const result = await update({ input: { id: campaign.id, ...draft } }, CAMPAIGN_CONTEXT);
    const payload = result.data?.updateCampaign;
    if (payload?.campaign && payload.errors.length === 0) {
      setErrors(NO_ERRORS);
      return true;
    }
    setErrors(formErrors(result, payload, ["name", "subject", "body"], "Could not save the campaign."));
    if (step !== "write") setParams({});
    return false;
  }

  async function goTo(next: Step) {
    setNotice(null);
    if (await save()) setParams(next === "write" ? {} : { step: next });
  }

  // Closing or reloading the tab with unsaved writing asks first.
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [dirty]);

  // Each step starts at its heading, for keyboard and screen reader users.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    headingRef.current?.focus();
  }, [step]);

  return (
    <>
      <CampaignHeader
        campaign={campaign}
        actions={
          <>
            <button
              type="button"
              className="button"
              onClick={async () => {
                if (await save()) setTestOpen(true);
              }}
            >
              Send a test…
            </button>
            <ActionsMenu
              actions={[{ label: "Delete campaign…", danger: true, onSelect: () => setDeleteOpen(true) }]}
            />
          </>
        }
      />
      <NoticeBar notice={notice} />
      <ol className="steps" aria-label="Campaign steps">
        {STEPS.map((s, i) => (
          <li
            key={s.step}
            className={i < current ? "step-done" : i === current ? "step-current" : undefined}
            aria-current={i === current ? "step" : undefined}
          >
            <button type="button" className="step-button" onClick={() => void goTo(s.step)}>
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="step-label">{s.label}</span>
            </button>
          </li>
        ))}
      </ol>
      <section aria-labelledby="campaign-step-title">
        <h2 id="campaign-step-title" ref={headingRef} tabIndex={-1} className="step-title">
          <span className="step-of">
            Step {current + 1} of {STEPS.length}:
          </span>{" "}
          {STEPS[current].title}
        </h2>
        {step === "write" && (
          <WriteStep
            draft={draft}
            onChange={(changes) => setDraft((d) => ({ ...d, ...changes }))}
            errors={errors}
            dirty={dirty}
            saving={saving}
            onSave={async () => {
              if (await save()) setNotice({ tone: "ok", text: "Draft saved." });
            }}
            onNext={() => void goTo("audience")}
            previewAs={previewAs}
            onPreviewAs={setPreviewAs}
          />
        )}
        {step === "audience" && (
          <AudienceStep
            campaign={campaign}
            onBack={() => void goTo("write")}
            onNext={() => void goTo("confirm")}
          />
        )}
        {step === "confirm" && (
          <ConfirmStep
            campaign={campaign}
            onBack={() => void goTo("audience")}
            onEdit={(where) => void goTo(where)}
            onSent={(text) => navigate({ search: "" }, { replace: true, state: { notice: text } })}
          />
        )}
      </section>
      <SendTestDialog
        open={testOpen}
        onOpenChange={setTestOpen}
        campaignId={campaign.id}
        contact={previewAs}
        onSent={(to) =>
          setNotice({
            tone: "ok",
            text:
              mailConfigured === false
                ? `Test for ${to} queued: with no mail server it is written to the server's log, not sent.`
                : `Test email queued for ${to}.`,
          })
        }
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete campaign ${campaign.name}?`}
        description={<p>The draft and its choice of recipients go. No contact is changed.</p>}
        confirmLabel="Delete campaign"
        action={async () => {
          const result = await remove({ input: { id: campaign.id } }, CAMPAIGN_CONTEXT);
          return mutationProblem(result, result.data?.deleteCampaign, "Could not delete.");
        }}
        onDone={() =>
          navigate("/campaigns", { replace: true, state: { notice: `Deleted campaign ${campaign.name}.` } })
        }
      />
    </>
  );
}
