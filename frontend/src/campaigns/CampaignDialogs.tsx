import { useId, useState } from "react";
import { useMutation } from "urql";
import { FormDialog, NO_ERRORS, formErrors, useOnOpen, type FormErrors } from "../components/dialogs";
import { TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { CreateCampaignDocument, SendCampaignTestDocument } from "./campaigns.generated";
import { CAMPAIGN_CONTEXT } from "./labels";

/** Name a new campaign; its page opens to write it. */
export function NewCampaignDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (campaign: { id: string; name: string }) => void;
}) {
  const uid = useId();
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching }, create] = useMutation(CreateCampaignDocument);

  useOnOpen(open, () => {
    setName("");
    setErrors(NO_ERRORS);
  });

  async function save() {
    const result = await create({ input: { name } }, CAMPAIGN_CONTEXT);
    const payload = result.data?.createCampaign;
    if (payload?.campaign && payload.errors.length === 0) {
      onOpenChange(false);
      onCreated(payload.campaign);
    } else {
      setErrors(formErrors(result, payload, ["name"], "Could not create the campaign."));
    }
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="New campaign"
      description={<p>The name is for you and your colleagues; recipients see the subject.</p>}
      submitLabel="Create campaign"
      busy={fetching}
      errors={errors.general}
      onSubmit={() => void save()}
    >
      <TextField
        id={`${uid}-name`}
        label="Name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        placeholder="e.g. Spring newsletter"
        autoFocus
        maxLength={200}
      />
    </FormDialog>
  );
}

/** Send the campaign as it is saved to any address, marked as a test. */
export function SendTestDialog({
  open,
  onOpenChange,
  campaignId,
  contact,
  onSent,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  campaignId: string;
  /** Whose merge fields fill the test: the contact the preview shows, if any. */
  contact: { id: string; fullName: string } | null;
  onSent: (to: string) => void;
}) {
  const uid = useId();
  const auth = useAuth();
  const [to, setTo] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [{ fetching }, send] = useMutation(SendCampaignTestDocument);

  useOnOpen(open, () => {
    setTo(auth.user?.email ?? "");
    setErrors(NO_ERRORS);
  });

  async function submit() {
    const address = to.trim();
    const input = { campaignId, to: address, contactId: contact?.id ?? null };
    const result = await send({ input }, CAMPAIGN_CONTEXT);
    const payload = result.data?.sendCampaignTest;
    if (payload && payload.errors.length === 0) {
      onOpenChange(false);
      onSent(address);
    } else {
      setErrors(formErrors(result, payload, ["to"], "Could not send the test."));
    }
  }

  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Send a test"
      description={
        <p>
          The saved campaign goes to this address only, with “[Test]” before its subject
          {contact
            ? `, filled in as ${contact.fullName} would get it`
            : ", with its merge fields blank or their defaults"}
          .
          Its unsubscribe link is a placeholder.
        </p>
      }
      submitLabel="Send test"
      busy={fetching}
      errors={errors.general}
      onSubmit={() => void submit()}
    >
      <TextField
        id={`${uid}-to`}
        label="Send to"
        type="email"
        value={to}
        onChange={setTo}
        error={errors.fields.to}
        autoComplete="email"
        autoFocus
      />
    </FormDialog>
  );
}
