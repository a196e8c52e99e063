import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { CompanyPicker, type CompanyRef } from "../components/CompanyPicker";
import { ErrorState, Loading, PageHeader, useTitle } from "../components/ui";
import { graphql } from "../gql";
import type { ContactStatus, ContactType, PreferencesInput, Title } from "../gql/graphql";
import { ALL_TYPENAMES } from "../lib/client";
import {
  CONTACT_STATUSES,
  CONTACT_TYPES,
  TITLES,
  collectErrors,
  contactPath,
  keys,
  type FieldErrors,
} from "../lib/format";
import { useAppSettings, type AppSettings } from "../lib/settings";
import {
  Field,
  PhoneFields,
  blankPhone,
  describedBy,
  newRowKey,
  phoneErrorKey,
  phoneInputs,
  type PhoneRow,
} from "../components/PhoneFields";


const TYPES_NEEDING_EMAIL: ContactType[] = ["PROSPECT", "CLIENT"];

const ContactForEdit = graphql(`
  query ContactForEdit($id: ID!) {
    contact(id: $id) {
      id
      title
      firstName
      lastName
      fullName
      email
      type
      status
      jobTitle
      company {
        id
        name
      }
      phones {
        id
        type
        number
        national
        international
        country
        isPrimary
      }
      address {
        line1
        line2
        city
        region
        postalCode
        country
      }
      preferences {
        email
        sms
        phone
        post
        consents {
          channel
          changedAt
        }
      }
    }
  }
`);

const PreselectedCompany = graphql(`
  query PreselectedCompany($id: ID!) {
    company(id: $id) {
      id
      name
    }
  }
`);

const CreateContact = graphql(`
  mutation CreateContact($input: CreateContactInput!) {
    createContact(input: $input) {
      contact {
        id
        fullName
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const UpdateContact = graphql(`
  mutation UpdateContact($input: UpdateContactInput!) {
    updateContact(input: $input) {
      contact {
        id
        fullName
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

type Channel = "email" | "sms" | "phone" | "post";
type Address = {
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
};

type FormState = {
  title: Title | "";
  firstName: string;
  lastName: string;
  email: string;
  type: ContactType;
  status: ContactStatus;
  jobTitle: string;
  company: CompanyRef | null;
  phones: PhoneRow[];
  primaryKey: string | null;
  address: Address;
  /** Only what the user ticked or unticked; the rest follows the fields. */
  prefs: Partial<Record<Channel, boolean>>;
  /** New contacts only: invite to the portal (when an invitation is possible). */
  sendInvite: boolean;
};

type Baseline = {
  prefs: Record<Channel, boolean>;
  everSet: Record<Channel, boolean>;
  filled: Set<Channel>;
};

function filledChannels(state: Pick<FormState, "email" | "phones" | "address">): Set<Channel> {
  const filled = new Set<Channel>();
  if (state.email.trim()) filled.add("email");
  for (const phone of state.phones) {
    if (!phone.number.trim()) continue;
    if (phone.type !== "FAX") filled.add("phone");
    if (phone.type === "MOBILE") filled.add("sms");
  }
  const a = state.address;
  if (a.line1.trim() || a.city.trim() || a.postalCode.trim()) filled.add("post");
  return filled;
}

export function ContactForm() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const companyId = params.get("companyId");
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ContactForEdit,
    variables: { id: id ?? "" },
    pause: !id,
    requestPolicy: "network-only",
  });
  const [{ data: companyData, fetching: companyFetching }] = useQuery({
    query: PreselectedCompany,
    variables: { id: companyId ?? "" },
    pause: Boolean(id) || !companyId,
  });
  const settings = useAppSettings();
  if (!settings) return <Loading />;

  if (id) {
    if (error && !data) return <ErrorState error={error} retry={() => refetch()} />;
    if (fetching || !data) return <Loading label="Loading contact…" />;
    const contact = data.contact;
    if (!contact) {
      return (
        <>
          <PageHeader title="Contact not found" />
          <p>
            This contact does not exist any more. <Link to="/contacts">Back to contacts</Link>
          </p>
        </>
      );
    }
    const phones: PhoneRow[] = contact.phones.map((p) => ({
      key: newRowKey(),
      type: p.type,
      country: p.country,
      number: p.national,
    }));
    const primary = contact.phones.findIndex((p) => p.isPrimary);
    const a = contact.address;
    const initial: FormState = {
      title: contact.title ?? "",
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email ?? "",
      type: contact.type,
      status: contact.status,
      jobTitle: contact.jobTitle ?? "",
      company: contact.company,
      phones,
      primaryKey: primary >= 0 ? phones[primary].key : null,
      address: {
        line1: a?.line1 ?? "",
        line2: a?.line2 ?? "",
        city: a?.city ?? "",
        region: a?.region ?? "",
        postalCode: a?.postalCode ?? "",
        country: a?.country ?? "",
      },
      prefs: {},
      sendInvite: false,
    };
    const everSet = { email: false, sms: false, phone: false, post: false };
    for (const consent of contact.preferences.consents) {
      const channel = consent.channel.toLowerCase() as Channel;
      if (consent.changedAt) everSet[channel] = true;
    }
    const baseline: Baseline = {
      prefs: {
        email: contact.preferences.email,
        sms: contact.preferences.sms,
        phone: contact.preferences.phone,
        post: contact.preferences.post,
      },
      everSet,
      filled: filledChannels(initial),
    };
    return (
      <ContactFormBody
        key={contact.id}
        contactId={contact.id}
        heading={`Edit ${contact.fullName}`}
        initial={initial}
        baseline={baseline}
        settings={settings}
      />
    );
  }

  if (companyId && companyFetching) return <Loading />;
  const first = blankPhone(settings.defaultCountry);
  const initial: FormState = {
    title: "",
    firstName: "",
    lastName: "",
    email: "",
    type: "LEAD",
    status: "NEW",
    jobTitle: "",
    company: companyData?.company ?? null,
    phones: [first],
    primaryKey: first.key,
    address: { line1: "", line2: "", city: "", region: "", postalCode: "", country: "" },
    prefs: {},
    sendInvite: true,
  };
  const baseline: Baseline = {
    prefs: { email: false, sms: false, phone: false, post: false },
    everSet: { email: false, sms: false, phone: false, post: false },
    filled: new Set(),
  };
  return (
    <ContactFormBody
      key="new"
      heading="New contact"
      initial={initial}
      baseline={baseline}
      settings={settings}
    />
  );
}

function ContactFormBody({
  contactId,
  heading,
  initial,
  baseline,
  settings,
}: {
  contactId?: string;
  heading: string;
  initial: FormState;
  baseline: Baseline;
  settings: AppSettings;
}) {
  useTitle(heading);
  const navigate = useNavigate();
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [{ fetching: creating }, create] = useMutation(CreateContact);
  const [{ fetching: updating }, update] = useMutation(UpdateContact);
  const saving = creating || updating;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const setAddress = (key: keyof Address, value: string) =>
    setForm((f) => ({ ...f, address: { ...f.address, [key]: value } }));

  const filled = useMemo(() => filledChannels(form), [form]);
  // What each preference box shows: the user's choice, else the server's rule.
  const shownPref = (channel: Channel): boolean => {
    const chosen = form.prefs[channel];
    if (chosen !== undefined) return chosen;
    const newlyFilled = filled.has(channel) && !baseline.filled.has(channel);
    return baseline.prefs[channel] || (newlyFilled && !baseline.everSet[channel]);
  };

  const emailRequired = TYPES_NEEDING_EMAIL.includes(form.type);
  // The server invites prospects and clients with an email; only new contacts here.
  const canInvite = !contactId && emailRequired && form.email.trim() !== "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    const { keys: phoneKeys, inputs: phoneRows } = phoneInputs(form.phones, form.primaryKey);
    const preferences: PreferencesInput = {};
    for (const [channel, value] of Object.entries(form.prefs) as [Channel, boolean][]) {
      preferences[channel] = value;
    }
    const a = form.address;
    const addressGiven = Object.values(a).some((v) => v.trim());
    const fields = {
      title: form.title || null,
      firstName: form.firstName,
      lastName: form.lastName,
      email: form.email.trim() || null,
      type: form.type,
      status: form.status,
      jobTitle: form.jobTitle.trim() || null,
      companyId: form.company?.id ?? null,
      phones: phoneRows,
      address: addressGiven || contactId
        ? {
            line1: a.line1.trim() || null,
            line2: a.line2.trim() || null,
            city: a.city.trim() || null,
            region: a.region.trim() || null,
            postalCode: a.postalCode.trim() || null,
            country: a.country.trim().toUpperCase() || null,
          }
        : null,
      ...(Object.keys(preferences).length ? { preferences } : {}),
    };
    const options = { additionalTypenames: ALL_TYPENAMES };
    const result = contactId
      ? await update({ input: { id: contactId, ...fields } }, options)
      : await create({ input: { ...fields, sendInvite: canInvite && form.sendInvite } }, options);
    const payload =
      result.data && ("createContact" in result.data
        ? result.data.createContact
        : "updateContact" in result.data
          ? result.data.updateContact
          : null);
    if (payload?.contact && payload.errors.length === 0) {
      navigate(contactPath(payload.contact.id), {
        state: { saved: true, invited: canInvite && form.sendInvite },
      });
      return;
    }
    let fieldErrors: FieldErrors = {};
    let other: string[] = [];
    if (payload) {
      const collected = collectErrors(payload.errors);
      // phones.<index>.x → phones.<row key>.x: the index is into the rows that were sent.
      for (const [key, message] of Object.entries(collected.fields)) {
        const phoneKey = phoneErrorKey(key, phoneKeys);
        if (phoneKey) {
          fieldErrors[phoneKey] = message;
        } else if (KNOWN_FIELDS.has(key)) {
          fieldErrors[key] = message;
        } else {
          other.push(message);
        }
      }
      other = [...other, ...collected.general];
    } else {
      fieldErrors = {};
      other = [result.error ? "Could not save: " + result.error.message : "Could not save."];
    }
    setErrors(fieldErrors);
    setGeneral(other);
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  const errorCount = Object.keys(errors).length + general.length;

  return (
    <>
      <p className="breadcrumb">
        <Link to={contactId ? contactPath(contactId) : "/contacts"}>
          ← {contactId ? "Back to contact" : "Contacts"}
        </Link>
      </p>
      <PageHeader title={heading} />
      <form className="form" onSubmit={submit} noValidate aria-label={heading}>
        <div ref={summaryRef} tabIndex={-1} aria-live="assertive">
          {errorCount > 0 && (
            <div className="notice notice-error" role="alert">
              <strong>
                {errorCount === 1
                  ? "Please correct the problem below."
                  : `Please correct the ${errorCount} problems below.`}
              </strong>
              {general.length > 0 && (
                <ul>
                  {general.map((message) => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>

        <fieldset className="card">
          <legend>Person</legend>
          <div className="form-grid">
            <Field id={fid("title")} label="Title" error={errors.title}>
              <select
                id={fid("title")}
                value={form.title}
                onChange={(e) => set("title", e.target.value as Title | "")}
                aria-invalid={errors.title ? true : undefined}
                aria-describedby={describedBy(fid("title"), errors.title)}
              >
                <option value="">—</option>
                {keys(TITLES).map((t) => (
                  <option key={t} value={t}>
                    {TITLES[t]}
                  </option>
                ))}
              </select>
            </Field>
            <div />
            <Field id={fid("firstName")} label="First name" error={errors.firstName}>
              <input
                id={fid("firstName")}
                type="text"
                autoComplete="off"
                value={form.firstName}
                onChange={(e) => set("firstName", e.target.value)}
                aria-invalid={errors.firstName ? true : undefined}
                aria-describedby={describedBy(fid("firstName"), errors.firstName)}
              />
            </Field>
            <Field id={fid("lastName")} label="Last name" required error={errors.lastName}>
              <input
                id={fid("lastName")}
                type="text"
                autoComplete="off"
                value={form.lastName}
                aria-required="true"
                onChange={(e) => set("lastName", e.target.value)}
                aria-invalid={errors.lastName ? true : undefined}
                aria-describedby={describedBy(fid("lastName"), errors.lastName)}
              />
            </Field>
            <Field id={fid("type")} label="Type" error={errors.type}>
              <select
                id={fid("type")}
                value={form.type}
                onChange={(e) => set("type", e.target.value as ContactType)}
                aria-invalid={errors.type ? true : undefined}
                aria-describedby={describedBy(fid("type"), errors.type)}
              >
                {keys(CONTACT_TYPES).map((t) => (
                  <option key={t} value={t}>
                    {CONTACT_TYPES[t]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={fid("status")} label="Status" error={errors.status}>
              <select
                id={fid("status")}
                value={form.status}
                onChange={(e) => set("status", e.target.value as ContactStatus)}
                aria-invalid={errors.status ? true : undefined}
                aria-describedby={describedBy(fid("status"), errors.status)}
              >
                {keys(CONTACT_STATUSES).map((s) => (
                  <option key={s} value={s}>
                    {CONTACT_STATUSES[s]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id={fid("email")}
              label="Email"
              required={emailRequired}
              error={errors.email}
              hint={
                <span aria-live="polite">
                  {emailRequired
                    ? `Required for a ${CONTACT_TYPES[form.type].toLowerCase()}.`
                    : "Required for prospects and clients."}
                </span>
              }
            >
              <input
                id={fid("email")}
                type="email"
                autoComplete="off"
                value={form.email}
                aria-required={emailRequired}
                onChange={(e) => set("email", e.target.value)}
                aria-invalid={errors.email ? true : undefined}
                aria-describedby={describedBy(fid("email"), errors.email, true)}
              />
            </Field>
            {canInvite && (
              <div className="field field-check span-2">
                <label className="check">
                  <input
                    type="checkbox"
                    checked={form.sendInvite}
                    onChange={(e) => set("sendInvite", e.target.checked)}
                    aria-describedby={fid("sendInvite-hint")}
                  />
                  Send portal invitation
                </label>
                <p className="hint" id={fid("sendInvite-hint")}>
                  Emails {form.email.trim()} a link to set a password for the client portal.
                </p>
                {errors.sendInvite && <p className="field-error">{errors.sendInvite}</p>}
              </div>
            )}
            <Field id={fid("jobTitle")} label="Job title" error={errors.jobTitle}>
              <input
                id={fid("jobTitle")}
                type="text"
                autoComplete="off"
                value={form.jobTitle}
                onChange={(e) => set("jobTitle", e.target.value)}
                aria-invalid={errors.jobTitle ? true : undefined}
                aria-describedby={describedBy(fid("jobTitle"), errors.jobTitle)}
              />
            </Field>
            <div className="span-2">
              <CompanyPicker
                value={form.company}
                onChange={(company) => set("company", company)}
                error={errors.companyId}
              />
            </div>
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>Phone numbers</legend>
          <PhoneFields
            phones={form.phones}
            primaryKey={form.primaryKey}
            errors={errors}
            defaultCountry={settings.defaultCountry}
            onChange={(phones, primaryKey) => setForm((f) => ({ ...f, phones, primaryKey }))}
          />
        </fieldset>

        <fieldset className="card">
          <legend>Address</legend>
          <div className="form-grid">
            {(
              [
                ["line1", "Address line 1", "address-line1"],
                ["line2", "Address line 2", "address-line2"],
                ["city", "Town or city", "address-level2"],
                ["region", "County, state or region", "address-level1"],
                ["postalCode", "Postcode", "postal-code"],
                ["country", "Country code", "country"],
              ] as [keyof Address, string, string][]
            ).map(([key, label]) => {
              const error = errors[`address.${key}`];
              return (
                <Field
                  key={key}
                  id={fid(`address-${key}`)}
                  label={label}
                  error={error}
                  hint={key === "country" ? "Two letters, e.g. GB, FR, US." : undefined}
                >
                  <input
                    id={fid(`address-${key}`)}
                    type="text"
                    autoComplete="off"
                    maxLength={key === "country" ? 2 : undefined}
                    value={form.address[key]}
                    onChange={(e) => setAddress(key, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={describedBy(fid(`address-${key}`), error, key === "country")}
                  />
                </Field>
              );
            })}
          </div>
        </fieldset>

        <fieldset className="card">
          <legend>Communication preferences</legend>
          <p className="hint" style={{ marginBottom: "0.75rem" }}>
            Automatic messages are sent only on the ticked channels. Filling in an email, phone
            or address ticks its channel unless you have chosen.
          </p>
          <div className="checkbox-row">
            {(
              [
                ["email", "Email"],
                ...(settings.smsEnabled ? [["sms", "SMS"]] : []),
                ["phone", "Phone"],
                ["post", "Post"],
              ] as [Channel, string][]
            ).map(([channel, label]) => (
              <label className="check" key={channel}>
                <input
                  type="checkbox"
                  checked={shownPref(channel)}
                  onChange={(e) =>
                    setForm((f) => ({ ...f, prefs: { ...f.prefs, [channel]: e.target.checked } }))
                  }
                />
                {label}
              </label>
            ))}
          </div>
          {(["email", "sms", "phone", "post"] as Channel[]).map((channel) =>
            errors[`preferences.${channel}`] ? (
              <p className="field-error" key={channel}>
                {errors[`preferences.${channel}`]}
              </p>
            ) : null,
          )}
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? "Saving…" : contactId ? "Save changes" : "Create contact"}
          </button>
          <Link className="button" to={contactId ? contactPath(contactId) : "/contacts"}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

const KNOWN_FIELDS = new Set<string>([
  "title",
  "firstName",
  "lastName",
  "email",
  "type",
  "status",
  "jobTitle",
  "companyId",
  "phones",
  "sendInvite",
  "address.line1",
  "address.line2",
  "address.city",
  "address.region",
  "address.postalCode",
  "address.country",
  ...(["email", "sms", "phone", "post"] as const).map((c) => `preferences.${c}`),
]);
