import { useId, useRef, useState, type FormEvent } from "react";
import { useLocation } from "react-router";
import { useMutation, useQuery } from "urql";
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
import { ErrorState, Loading } from "../components/ui";
import { graphql } from "../gql";
import type { PortalProfileQuery, Title } from "../gql/graphql";
import { TITLES, collectErrors, formatDateTime, keys, type FieldErrors } from "../lib/format";
import { isPhoneCountry } from "../lib/phones";
import { NewPasswordField, passwordAcceptable } from "./PasswordRules";
import { PortalInfoQuery, usePortalTitle } from "./PortalApp";

const PortalProfileQueryDoc = graphql(`
  query PortalProfile {
    me {
      __typename
      ... on PortalUser {
        id
        email
        lastLoginAt
        contact {
          id
          title
          firstName
          lastName
          fullName
          email
          phones {
            id
            type
            national
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
          }
        }
      }
    }
  }
`);

const UpdateMyProfile = graphql(`
  mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
    updateMyProfile(input: $input) {
      contact {
        id
        title
        firstName
        lastName
        fullName
        phones {
          id
          type
          national
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
        }
      }
      errors {
        field
        message
        code
      }
    }
  }
`);

const ChangeMyPassword = graphql(`
  mutation ChangeMyPassword($input: ChangeMyPasswordInput!) {
    changeMyPassword(input: $input) {
      ok
      errors {
        field
        message
        code
      }
    }
  }
`);

type Contact = Extract<NonNullable<PortalProfileQuery["me"]>, { __typename: "PortalUser" }>["contact"];
type Channel = "email" | "phone" | "post";
type AddressKey = "line1" | "line2" | "city" | "region" | "postalCode" | "country";

const CHANNELS: [Channel, string, string][] = [
  ["email", "Email", "News and updates by email"],
  ["phone", "Phone", "Calls from our team"],
  ["post", "Post", "Letters to your address"],
];

const ADDRESS_FIELDS: [AddressKey, string, string][] = [
  ["line1", "Address line 1", "address-line1"],
  ["line2", "Address line 2", "address-line2"],
  ["city", "Town or city", "address-level2"],
  ["region", "County, state or region", "address-level1"],
  ["postalCode", "Postcode", "postal-code"],
  ["country", "Country code", "country"],
];

export function PortalProfile() {
  usePortalTitle("Your details");
  const location = useLocation();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: PortalProfileQueryDoc,
    requestPolicy: "cache-and-network",
  });
  const me = data?.me?.__typename === "PortalUser" ? data.me : null;
  const notice = (location.state as { notice?: string } | null)?.notice;
  if (error && !data) return <ErrorState error={error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!me) return fetching || !data ? <Loading label="Loading your details…" /> : null;
  return (
    <>
      <div className="portal-intro">
        <h1>Hello, {me.contact.firstName || me.contact.fullName}</h1>
        <p className="subtle">
          Signed in as {me.email}
          {me.lastLoginAt && <> · last sign-in {formatDateTime(me.lastLoginAt)}</>}
        </p>
      </div>
      {notice && (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      <ProfileForm key={me.contact.id} contact={me.contact} />
      <ChangePasswordForm email={me.email} />
    </>
  );
}

function initialPhones(
  contact: Contact,
  defaultCountry: string,
): { phones: PhoneRow[]; primaryKey: string | null } {
  const phones = contact.phones.map((p) => ({
    key: newRowKey(),
    type: p.type,
    country: p.country,
    number: p.national,
  }));
  // An empty row to fill in; empty rows are not sent.
  if (phones.length === 0) phones.push(blankPhone(defaultCountry));
  const primary = contact.phones.findIndex((p) => p.isPrimary);
  return { phones, primaryKey: primary >= 0 ? phones[primary].key : (phones[0]?.key ?? null) };
}

function ProfileForm({ contact }: { contact: Contact }) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const [title, setTitle] = useState<Title | "">(contact.title ?? "");
  const [firstName, setFirstName] = useState(contact.firstName);
  const [lastName, setLastName] = useState(contact.lastName);
  const [{ data: info }] = useQuery({ query: PortalInfoQuery, requestPolicy: "cache-first" });
  const defaultCountry =
    contact.phones[0]?.country ??
    (isPhoneCountry(contact.address?.country)
      ? contact.address.country
      : (info?.portalInfo.defaultCountry ?? "GB"));
  const [phoneState, setPhoneState] = useState(() => initialPhones(contact, defaultCountry));
  const [address, setAddress] = useState<Record<AddressKey, string>>(() => ({
    line1: contact.address?.line1 ?? "",
    line2: contact.address?.line2 ?? "",
    city: contact.address?.city ?? "",
    region: contact.address?.region ?? "",
    postalCode: contact.address?.postalCode ?? "",
    country: contact.address?.country ?? "",
  }));
  const [prefs, setPrefs] = useState<Record<Channel, boolean>>({
    email: contact.preferences.email,
    phone: contact.preferences.phone,
    post: contact.preferences.post,
  });
  const [saved, setSaved] = useState<Record<Channel, boolean>>(prefs);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [{ fetching }, update] = useMutation(UpdateMyProfile);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(null);
    const { keys: phoneKeys, inputs } = phoneInputs(phoneState.phones, phoneState.primaryKey);
    const changedPrefs = Object.fromEntries(
      (Object.keys(prefs) as Channel[]).filter((c) => prefs[c] !== saved[c]).map((c) => [c, prefs[c]]),
    );
    const addressGiven = Object.values(address).some((v) => v.trim());
    const response = await update({
      input: {
        title: title || null,
        firstName,
        lastName,
        phones: inputs,
        address: addressGiven
          ? {
              line1: address.line1.trim() || null,
              line2: address.line2.trim() || null,
              city: address.city.trim() || null,
              region: address.region.trim() || null,
              postalCode: address.postalCode.trim() || null,
              country: address.country.trim().toUpperCase() || null,
            }
          : null,
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
      const collected = collectErrors(payload.errors);
      const fields: FieldErrors = {};
      const general = [...collected.general];
      for (const [key, message] of Object.entries(collected.fields)) {
        const phoneKey = phoneErrorKey(key, phoneKeys);
        if (phoneKey) fields[phoneKey] = message;
        else if (["title", "firstName", "lastName", "phones"].includes(key) || key.startsWith("address.")) {
          fields[key] = message;
        } else general.push(message);
      }
      setErrors(fields);
      setResult({
        tone: "error",
        text: ["Your details were not saved; please correct the problems marked.", ...general].join(" "),
      });
    } else {
      setResult({ tone: "error", text: "Could not reach the server. Check your connection and try again." });
    }
    requestAnimationFrame(() => resultRef.current?.focus());
  }

  return (
    <form className="portal-form" onSubmit={submit} noValidate aria-label="Your details">
      <fieldset className="card">
        <legend>Your name</legend>
        <div className="form-grid">
          <Field id={fid("title")} label="Title" error={errors.title}>
            <select id={fid("title")} value={title} onChange={(e) => setTitle(e.target.value as Title | "")}>
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
              autoComplete="given-name"
              value={firstName}
              onChange={(e) => setFirstName(e.target.value)}
              aria-invalid={errors.firstName ? true : undefined}
              aria-describedby={describedBy(fid("firstName"), errors.firstName)}
            />
          </Field>
          <Field id={fid("lastName")} label="Last name" required error={errors.lastName}>
            <input
              id={fid("lastName")}
              type="text"
              autoComplete="family-name"
              value={lastName}
              aria-required="true"
              onChange={(e) => setLastName(e.target.value)}
              aria-invalid={errors.lastName ? true : undefined}
              aria-describedby={describedBy(fid("lastName"), errors.lastName)}
            />
          </Field>
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

      <fieldset className="card">
        <legend>Address</legend>
        <div className="form-grid">
          {ADDRESS_FIELDS.map(([key, label, autoComplete]) => {
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
                  autoComplete={autoComplete}
                  maxLength={key === "country" ? 2 : undefined}
                  value={address[key]}
                  onChange={(e) => setAddress((a) => ({ ...a, [key]: e.target.value }))}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy(fid(`address-${key}`), error, key === "country")}
                />
              </Field>
            );
          })}
        </div>
      </fieldset>

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

      <div ref={resultRef} tabIndex={-1} aria-live="polite">
        {result && (
          <p
            className={`notice ${result.tone === "ok" ? "notice-ok" : "notice-error"}`}
            role={result.tone === "ok" ? "status" : "alert"}
          >
            {result.text}
          </p>
        )}
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
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [{ fetching }, change] = useMutation(ChangeMyPassword);

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
      setResult({ tone: "error", text: "Could not reach the server. Check your connection and try again." });
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
      <div aria-live="polite">
        {result && (
          <p className={`notice ${result.tone === "ok" ? "notice-ok" : "notice-error"}`}>{result.text}</p>
        )}
      </div>
      <button type="submit" className="button" disabled={fetching}>
        {fetching ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
