import { lazy, Suspense, useId, useState, type FormEvent, type ReactNode } from "react";
import { Field, TextField, describedBy, type Notice } from "../components/ui";
import type { UpdateSettingsInput } from "../gql/schema";
import { collectErrors, type FieldErrors } from "../lib/format";
import type { SettingsFieldsFragment } from "./settings.generated";
import { useUpdateSettings } from "./useSettings";

// Only the Organisation tab has a country: the Mail tab does without libphonenumber's metadata.
const CountrySelect = lazy(() => import("../components/CountrySelect").then((m) => ({ default: m.CountrySelect })));

export type SettingKey = keyof UpdateSettingsInput;
type Draft = Record<SettingKey, string | boolean>;
type Spec = {
  label: string;
  /** The environment variable that gives the value the app falls back to. */
  env: string;
  hint?: string;
  kind: "text" | "email" | "country" | "days" | "check";
};

const SPECS: Record<SettingKey, Spec> = {
  organisationName: {
    label: "Organisation name",
    env: "CRM_ORGANISATION_NAME",
    hint: "Shown in the navigation, the client portal and every email.",
    kind: "text",
  },
  defaultCountry: {
    label: "Default phone country",
    env: "CRM_DEFAULT_COUNTRY",
    hint: "Phone numbers typed without a +country code are read as this country's.",
    kind: "country",
  },
  inviteExpiryDays: {
    label: "Invitation links work for (days)",
    env: "CRM_INVITE_EXPIRY_DAYS",
    hint: "From 1 to 90 days: colleagues' and clients' invitations alike.",
    kind: "days",
  },
  smsEnabled: {
    label: "SMS enabled",
    env: "CRM_SMS_ENABLED",
    hint: "Whether contacts can be asked for consent to SMS.",
    kind: "check",
  },
  mailFromName: {
    label: "Sender name",
    env: "CRM_MAIL_FROM",
    hint: "Who the CRM's emails say they are from.",
    kind: "text",
  },
  mailFromAddress: {
    label: "Sender address",
    env: "CRM_MAIL_FROM",
    hint: "The address the CRM's emails come from; your mail server must be allowed to send as it.",
    kind: "email",
  },
};

function draftOf(settings: SettingsFieldsFragment, keys: SettingKey[]): Draft {
  return Object.fromEntries(
    keys.map((key) => [key, key === "inviteExpiryDays" ? String(settings[key]) : settings[key]]),
  ) as Draft;
}

/** The value as the API takes it, or a problem with what was typed. */
function inputValue(key: SettingKey, value: string | boolean): { value: unknown } | { problem: string } {
  if (key !== "inviteExpiryDays") return { value };
  const text = String(value).trim();
  return /^\d{1,3}$/.test(text) ? { value: Number(text) } : { problem: "Give a whole number of days from 1 to 90" };
}

/**
 * Some of the organisation's settings, each saying whether it is saved in the app or taken
 * from the environment; "Save" sends only what changed, so an admin's save never undoes a
 * colleague's change to another field.
 */
export function SettingsForm({
  settings,
  keys,
  title,
  intro,
  onDone,
}: {
  settings: SettingsFieldsFragment;
  keys: SettingKey[];
  title: string;
  intro?: ReactNode;
  onDone: (notice: Notice) => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(settings, keys));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, save] = useUpdateSettings();
  const saved = draftOf(settings, keys);

  async function send(input: Record<string, unknown>, success: string) {
    const { result, payload } = await save(input as UpdateSettingsInput);
    if (payload?.settings && payload.errors.length === 0) {
      setErrors({});
      onDone({ tone: "ok", text: success });
      return;
    }
    const found = payload ? collectErrors(payload.errors, (key) => keys.includes(key as SettingKey)) : null;
    setErrors(found?.fields ?? {});
    const general = found ? found.general : [result.error?.message ?? "Could not save the settings."];
    onDone({
      tone: "error",
      text: general.length ? general.join(" ") : "The settings were not saved: see the problems below.",
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input: Record<string, unknown> = {};
    const problems: FieldErrors = {};
    for (const key of keys) {
      if (draft[key] === saved[key]) continue;
      const checked = inputValue(key, draft[key]);
      if ("problem" in checked) problems[key] = checked.problem;
      else input[key] = checked.value;
    }
    setErrors(problems);
    if (Object.keys(problems).length) {
      onDone({ tone: "error", text: "The settings were not saved: see the problems below." });
    } else if (Object.keys(input).length === 0) {
      onDone({ tone: "ok", text: "Nothing has changed." });
    } else {
      await send(input, `${title} saved: in effect now.`);
    }
  }

  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {intro}
      {keys.map((key) => (
        <Setting
          key={key}
          id={`${id}-${key}`}
          spec={SPECS[key]}
          value={draft[key]}
          onChange={(value) => setDraft((d) => ({ ...d, [key]: value }))}
          error={errors[key]}
          fromEnvironment={settings.fromEnvironment.includes(key)}
          onUseEnvironment={() =>
            send({ [key]: null }, `${SPECS[key].label} now comes from the environment (${SPECS[key].env}).`)
          }
          busy={saving}
        />
      ))}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

function Setting({
  id,
  spec,
  value,
  onChange,
  error,
  fromEnvironment,
  onUseEnvironment,
  busy,
}: {
  id: string;
  spec: Spec;
  value: string | boolean;
  onChange: (value: string | boolean) => void;
  error?: string;
  fromEnvironment: boolean;
  onUseEnvironment: () => void;
  busy: boolean;
}) {
  const source = (
    <p className="setting-source" id={`${id}-source`}>
      {fromEnvironment ? (
        <>
          From the environment (<code>{spec.env}</code>)
        </>
      ) : (
        <>
          Saved in the app ·{" "}
          <button type="button" className="link-button" onClick={onUseEnvironment} disabled={busy}>
            Use the environment's value
          </button>
        </>
      )}
    </p>
  );
  if (spec.kind === "check") {
    return (
      <div className="field setting">
        <label className="check">
          <input
            type="checkbox"
            checked={Boolean(value)}
            onChange={(e) => onChange(e.target.checked)}
            aria-describedby={`${id}-hint ${id}-source`}
          />
          {spec.label}
        </label>
        <p className="hint" id={`${id}-hint`}>
          {spec.hint}
        </p>
        {source}
      </div>
    );
  }
  if (spec.kind === "text" || spec.kind === "email") {
    return (
      <div className="setting">
        <TextField
          id={id}
          label={spec.label}
          type={spec.kind}
          value={String(value)}
          onChange={onChange}
          error={error}
          hint={spec.hint}
          maxLength={200}
        />
        {source}
      </div>
    );
  }
  return (
    <div className="setting">
      <Field id={id} label={spec.label} hint={spec.hint} error={error}>
        {spec.kind === "country" ? (
          <Suspense fallback={<select id={id} disabled aria-busy="true" />}>
            <CountrySelect
              id={id}
              value={String(value)}
              onChange={onChange}
              invalid={Boolean(error)}
              describedBy={describedBy(id, error, true)}
            />
          </Suspense>
        ) : (
          <input
            id={id}
            type="text"
            inputMode="numeric"
            className="input-days"
            value={String(value)}
            onChange={(e) => onChange(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(id, error, true)}
          />
        )}
      </Field>
      {source}
    </div>
  );
}

