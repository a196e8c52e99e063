import { useId, useRef, useState, type FormEvent } from "react";
import { useQuery, useMutation } from "urql";
import { PortalAvatar } from "../avatars/PortalAvatar";
import { AddressFields, addressInput, addressValues } from "../components/AddressFields";
import { NameFields, type NameValues } from "../components/NameFields";
import { PhoneFields, blankPhone, phoneFormErrors, phoneInputs, phoneRows } from "../components/PhoneFields";
import { QueryState } from "../components/QueryState";
import {
  Field,
  NoticeBar,
  describedBy,
  usePassedNotice,
  type Notice,
} from "../components/ui";
import { formatDateTime } from "../lib/format";
import { isPhoneCountry } from "../lib/phones";
import { OFFLINE } from "../lib/problems";
import { NewPasswordField, passwordAcceptable } from "./PasswordRules";
import { usePortalTitle } from "./PortalApp";
import {
  ChangeMyPasswordDocument,
  PortalInfoDocument,
  PortalProfileDocument,
  UpdateMyProfileDocument,
  type PortalProfileQuery,
} from "./portal.generated";

type Contact = Extract<NonNullable<PortalProfileQuery["me"]>, { __typename: "PortalUser" }>["contact"];
type Channel = "email" | "phone" | "post";

const CHANNELS: [Channel, string, string][] = [
  ["email", "Email", "News and updates by email"],
  ["phone", "Phone", "Calls from our team"],
  ["post", "Post", "Letters to your address"],
];

const SHOWN = (key: string) =>
  ["title", "firstName", "lastName", "phones"].includes(key) || key.startsWith("address.");

export function PortalProfile() {
  usePortalTitle("Your details");
  const [notice] = usePassedNotice();
  const query = useQuery({ query: PortalProfileDocument, requestPolicy: "cache-and-network" });
  return (
    <QueryState
      query={query}
      loading="Loading your details…"
      select={(d) => (d.me?.__typename === "PortalUser" ? d.me : null)}
    >
      {(me) => (
        <>
          <div className="portal-intro">
            <h1>Hello, {me.contact.firstName || me.contact.fullName}</h1>
            <p className="subtle">
              Signed in as {me.email}
              {me.lastLoginAt && <> · last sign-in {formatDateTime(me.lastLoginAt)}</>}
            </p>
          </div>
          <NoticeBar notice={notice} />
          <PortalAvatar contactId={me.contact.id} name={me.contact.fullName} url={me.contact.avatarUrl} />
          <ProfileForm key={me.contact.id} contact={me.contact} />
          <ChangePasswordForm email={me.email} />
        </>
      )}
    </QueryState>
  );
}

/** The contact's phones as rows, with an empty one to fill in when there are none. */
function initialPhones(contact: Contact, defaultCountry: string) {
  const rows = phoneRows(contact.phones);
  if (rows.phones.length > 0) return rows;
  const blank = blankPhone(defaultCountry);
  return { phones: [blank], primaryKey: blank.key };
}

function ProfileForm({ contact }: { contact: Contact }) {
  const uid = useId();
  const [name, setName] = useState<NameValues>({
    title: contact.title ?? "",
    firstName: contact.firstName,
    lastName: contact.lastName,
  });
  const [{ data: info }] = useQuery({ query: PortalInfoDocument, requestPolicy: "cache-first" });
  const defaultCountry =
    contact.phones[0]?.country ??
    (isPhoneCountry(contact.address?.country)
      ? contact.address.country
      : (info?.portalInfo.defaultCountry ?? "GB"));
  const [phoneState, setPhoneState] = useState(() => initialPhones(contact, defaultCountry));
  const [address, setAddress] = useState(() => addressValues(contact.address));
  const [prefs, setPrefs] = useState<Record<Channel, boolean>>({
    email: contact.preferences.email,
    phone: contact.preferences.phone,
    post: contact.preferences.post,
  });
  const [saved, setSaved] = useState<Record<Channel, boolean>>(prefs);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Notice | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [{ fetching }, update] = useMutation(UpdateMyProfileDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    const { keys: phoneKeys, inputs } = phoneInputs(phoneState.phones, phoneState.primaryKey);
    const changedPrefs = Object.fromEntries(
      (Object.keys(prefs) as Channel[]).filter((c) => prefs[c] !== saved[c]).map((c) => [c, prefs[c]]),
    );
    const response = await update({
      input: {
        title: name.title || null,
        firstName: name.firstName,
        lastName: name.lastName,
        phones: inputs,
        address: addressInput(address, false),
        ...(Object.keys(changedPrefs).length ? { preferences: changedPrefs } : {}),
      },
    });
    const payload = response.data?.updateMyProfile;
    if (payload?.contact && payload.errors.length === 0) {
      const p = payload.contact.preferences;
      const now = { email: p.email, phone: p.phone, post: p.post };
      setPrefs(now);
      setSaved(now);
      setErrors({});
      setResult({ tone: "ok", text: "Your details were saved." });
    } else if (payload) {
      const found = phoneFormErrors(payload.errors, phoneKeys, SHOWN);
      setErrors(found.fields);
      setResult({
        tone: "error",
        text: ["Your details were not saved; please correct the problems marked.", ...found.general].join(" "),
      });
    } else {
      // A refusal (a read-only view of the portal) says why; otherwise the server was not reached.
      setResult({ tone: "error", text: response.error?.graphQLErrors[0]?.message ?? OFFLINE });
    }
    requestAnimationFrame(() => resultRef.current?.focus());
  }

  return (
    <form className="portal-form" onSubmit={submit} noValidate aria-label="Your details">
      <fieldset className="card">
        <legend>Your name</legend>
        <div className="form-grid">
          <NameFields
            idPrefix={uid}
            values={name}
            onChange={(changes) => setName((n) => ({ ...n, ...changes }))}
            errors={errors}
            autoFill
          />
          <div className="field span-2">
            <span className="field-label">Email</span>
            <p className="readonly-value">{contact.email}</p>
            <p className="hint">To change the email address you sign in with, contact us.</p>
          </div>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Phone numbers</legend>
        <PhoneFields
          phones={phoneState.phones}
          primaryKey={phoneState.primaryKey}
          errors={errors}
          defaultCountry={defaultCountry}
          onChange={(phones, primaryKey) => setPhoneState({ phones, primaryKey })}
        />
      </fieldset>

      <AddressFields
        idPrefix={uid}
        values={address}
        onChange={setAddress}
        errors={errors}
        autoFill
      />

      <fieldset className="card">
        <legend>How we may contact you</legend>
        <p className="hint" style={{ marginBottom: "0.75rem" }}>
          Tick the ways you are happy for us to keep in touch. You can change this at any time.
        </p>
        <div className="consent-options">
          {CHANNELS.map(([channel, label, description]) => (
            <label className="check" key={channel}>
              <input
                type="checkbox"
                checked={prefs[channel]}
                onChange={(e) => setPrefs((p) => ({ ...p, [channel]: e.target.checked }))}
              />
              <span>
                {label}
                <span className="subtle consent-description"> — {description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div ref={resultRef} tabIndex={-1}>
        <NoticeBar notice={result} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Saving…" : "Save my details"}
        </button>
      </div>
    </form>
  );
}

function ChangePasswordForm({ email }: { email: string }) {
  const uid = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [errors, setErrors] = useState<{ current?: string; next?: string }>({});
  const [result, setResult] = useState<Notice | null>(null);
  const [{ fetching }, change] = useMutation(ChangeMyPasswordDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    const problems: { current?: string; next?: string } = {};
    if (!current) problems.current = "Enter your current password.";
    if (!passwordAcceptable(next, email)) problems.next = "Choose a password that meets the rules below the field.";
    setErrors(problems);
    if (problems.current || problems.next) return;
    const response = await change({ input: { currentPassword: current, newPassword: next } });
    const payload = response.data?.changeMyPassword;
    if (payload?.ok && payload.errors.length === 0) {
      setCurrent("");
      setNext("");
      setResult({ tone: "ok", text: "Your password was changed." });
    } else if (payload) {
      const found: { current?: string; next?: string } = {};
      const other: string[] = [];
      for (const e of payload.errors) {
        const key = e.field?.[e.field.length - 1];
        if (key === "currentPassword") found.current = e.message;
        else if (key === "newPassword") found.next = e.message;
        else other.push(e.message);
      }
      setErrors(found);
      if (other.length) setResult({ tone: "error", text: other.join(" ") });
    } else {
      setResult({ tone: "error", text: response.error?.graphQLErrors[0]?.message ?? OFFLINE });
    }
  }

  return (
    <form className="card portal-password" onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Change password</h2>
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <Field id={`${uid}-current`} label="Current password" error={errors.current}>
        <input
          id={`${uid}-current`}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          aria-invalid={errors.current ? true : undefined}
          aria-describedby={describedBy(`${uid}-current`, errors.current)}
        />
      </Field>
      <NewPasswordField label="New password" value={next} onChange={setNext} email={email} error={errors.next} />
      <NoticeBar notice={result} />
      <button type="submit" className="button" disabled={fetching}>
        {fetching ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
