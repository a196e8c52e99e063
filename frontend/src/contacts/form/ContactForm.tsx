import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { AvatarEditor } from "../../avatars/AvatarEditor";
import { ContactAvatar } from "../../avatars/ContactAvatar";
import { uploadAvatar } from "../../avatars/upload";
import { AddressFields } from "../../components/AddressFields";
import { PhoneFields, phoneFormErrors } from "../../components/PhoneFields";
import { RecordState } from "../../components/QueryState";
import { Loading } from "../../components/Loading";
import { ErrorSummary, FormActions, PageHeader, useTitle } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { ALL_CONTEXT } from "../../lib/client";
import { contactPath, type FieldErrors } from "../../lib/format";
import { useAppSettings, type AppSettings } from "../../lib/settings";
import { OwnerSelect, ownerOf } from "../../staff/OwnerSelect";
import {
  ContactForEditDocument,
  CreateContactDocument,
  PreselectedCompanyDocument,
  UpdateContactDocument,
} from "../contacts.generated";
import { PersonFields } from "./PersonFields";
import { DuplicateWarnings, usePossibleDuplicates } from "./PossibleDuplicates";
import { PreferenceFields } from "./PreferenceFields";
import { NEW_CONTACT, filledChannels, shownPreference, type Baseline } from "./preferences";
import {
  TYPES_NEEDING_EMAIL,
  contactBaseline,
  contactInput,
  contactState,
  newContactState,
  shownOnForm,
  type FormState,
} from "./state";

/** New contact (`/contacts/new`, maybe `?companyId=`) or edit (`/contacts/:id/edit`). */
export function ContactForm() {
  const { id } = useParams();
  const settings = useAppSettings();
  if (!settings) return <Loading />;
  return id ? <EditContact id={id} settings={settings} /> : <NewContact settings={settings} />;
}

function NewContact({ settings }: { settings: AppSettings }) {
  const [params] = useSearchParams();
  const { user } = useAuth();
  const companyId = params.get("companyId");
  const [{ data, fetching }] = useQuery({
    query: PreselectedCompanyDocument,
    variables: { id: companyId ?? "" },
    pause: !companyId,
  });
  if (companyId && fetching) return <Loading />;
  return (
    <ContactFormBody
      heading="New contact"
      initial={newContactState(settings.defaultCountry, data?.company ?? null, ownerOf(user))}
      baseline={NEW_CONTACT}
      settings={settings}
    />
  );
}

function EditContact({ id, settings }: { id: string; settings: AppSettings }) {
  const query = useQuery({ query: ContactForEditDocument, variables: { id }, requestPolicy: "network-only" });
  return (
    <RecordState query={query} what="contact" list="/contacts" select={(d) => d.contact}>
      {(contact) => (
        <ContactFormBody
          key={contact.id}
          contactId={contact.id}
          avatarUrl={contact.avatarUrl}
          heading={`Edit ${contact.fullName}`}
          initial={contactState(contact)}
          baseline={contactBaseline(contact)}
          settings={settings}
        />
      )}
    </RecordState>
  );
}

function ContactFormBody({
  contactId,
  avatarUrl,
  heading,
  initial,
  baseline,
  settings,
}: {
  contactId?: string;
  avatarUrl?: string | null;
  heading: string;
  initial: FormState;
  baseline: Baseline;
  settings: AppSettings;
}) {
  useTitle(heading);
  const navigate = useNavigate();
  const uid = useId();
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  // A new contact's picture waits for the contact to exist.
  const [pendingAvatar, setPendingAvatar] = useState<File | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [{ fetching: creating }, create] = useMutation(CreateContactDocument);
  const [{ fetching: updating }, update] = useMutation(UpdateContactDocument);
  const saving = creating || updating;
  const change = (changes: Partial<FormState>) => setForm((f) => ({ ...f, ...changes }));

  const filled = useMemo(() => filledChannels(form), [form]);
  const duplicates = usePossibleDuplicates(form, contactId);
  // The server invites prospects and clients with an email; only new contacts here.
  const canInvite = !contactId && TYPES_NEEDING_EMAIL.includes(form.type) && form.email.trim() !== "";
  const back = contactId ? contactPath(contactId) : "/contacts";
  const displayName = `${form.firstName} ${form.lastName}`.trim() || "?";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    const { fields, phoneKeys } = contactInput(form, Boolean(contactId));
    const invite = canInvite && form.sendInvite;
    const result = contactId
      ? await update({ input: { id: contactId, ...fields } }, ALL_CONTEXT)
      : await create({ input: { ...fields, sendInvite: invite } }, ALL_CONTEXT);
    const data = result.data;
    const payload = data && ("createContact" in data ? data.createContact : data.updateContact);
    if (payload?.contact && payload.errors.length === 0) {
      const sent = pendingAvatar && (await uploadAvatar(payload.contact.id, pendingAvatar));
      const avatarProblem = typeof sent === "string" ? sent : null;
      navigate(contactPath(payload.contact.id), { state: { saved: true, invited: invite, avatarProblem } });
      return;
    }
    const found = payload
      ? phoneFormErrors(payload.errors, phoneKeys, shownOnForm)
      : { fields: {}, general: [result.error ? `Could not save: ${result.error.message}` : "Could not save."] };
    setErrors(found.fields);
    setGeneral(found.general);
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to={back}>← {contactId ? "Back to contact" : "Contacts"}</Link>
      </p>
      <PageHeader title={heading} />
      <form className="form" onSubmit={submit} noValidate aria-label={heading}>
        <ErrorSummary ref={summaryRef} count={Object.keys(errors).length + general.length} general={general} />
        <PersonFields form={form} change={change} errors={errors} canInvite={canInvite} duplicates={duplicates} />
        <fieldset className="card">
          <legend>Follow-up</legend>
          <OwnerSelect value={form.owner} onChange={(owner) => change({ owner })} error={errors.ownerId} what="contact" />
        </fieldset>
        <fieldset className="card">
          <legend>Picture</legend>
          {contactId ? (
            <ContactAvatar contactId={contactId} name={displayName} url={avatarUrl} />
          ) : (
            <AvatarEditor
              name={displayName}
              url={null}
              pending={pendingAvatar}
              save={async (file) => {
                setPendingAvatar(file);
                return null;
              }}
              remove={async () => {
                setPendingAvatar(null);
                return null;
              }}
            />
          )}
        </fieldset>
        <fieldset className="card">
          <legend>Phone numbers</legend>
          <PhoneFields
            phones={form.phones}
            primaryKey={form.primaryKey}
            errors={errors}
            defaultCountry={settings.defaultCountry}
            onChange={(phones, primaryKey) => change({ phones, primaryKey })}
            note={
              <DuplicateWarnings
                warnings={duplicates.phone}
                phoneCount={form.phones.filter((p) => p.number.trim()).length}
                className="phone-duplicates"
              />
            }
          />
        </fieldset>
        <AddressFields
          idPrefix={uid}
          values={form.address}
          onChange={(address) => change({ address })}
          errors={errors}
        />
        <PreferenceFields
          shown={(channel) =>
            shownPreference(channel, form.prefs[channel], filled, baseline, settings.smsEnabled)
          }
          onChoose={(channel, value) => setForm((f) => ({ ...f, prefs: { ...f.prefs, [channel]: value } }))}
          errors={errors}
          smsEnabled={settings.smsEnabled}
        />
        <FormActions saving={saving} label={contactId ? "Save changes" : "Create contact"} cancelTo={back} />
      </form>
    </>
  );
}
