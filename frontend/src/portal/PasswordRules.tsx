import { useId, useState } from "react";

export const MIN_LENGTH = 10;
export const MAX_LENGTH = 200;

type Rule = { label: string; met: boolean | null };

/** The server's rules, checked as far as the browser can; "common" is checked on save. */
export function passwordRules(password: string, email: string | null | undefined): Rule[] {
  const lowered = password.trim().toLowerCase();
  const rules: Rule[] = [{ label: `At least ${MIN_LENGTH} characters`, met: password.length >= MIN_LENGTH }];
  if (password.length > MAX_LENGTH) {
    rules.push({ label: `At most ${MAX_LENGTH} characters`, met: false });
  }
  if (email) {
    const e = email.toLowerCase();
    rules.push({
      label: "Not your email address",
      met: password.length > 0 && lowered !== e && lowered !== e.split("@")[0],
    });
  }
  rules.push({ label: "Not a commonly used password (checked when you save)", met: null });
  return rules;
}

export function passwordAcceptable(password: string, email: string | null | undefined): boolean {
  return passwordRules(password, email).every((r) => r.met !== false);
}

/** A new-password field with the rules listed under it, ticked off as the user types. */
export function NewPasswordField({
  label,
  value,
  onChange,
  email,
  error,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  email?: string | null;
  error?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [show, setShow] = useState(false);
  const rules = passwordRules(value, email);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={show ? "text" : "password"}
        autoComplete="new-password"
        value={value}
        autoFocus={autoFocus}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-rules${error ? ` ${id}-error` : ""}`}
      />
      <label className="check show-password">
        <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
        Show password
      </label>
      <ul className="password-rules" id={`${id}-rules`} aria-label="Password rules">
        {rules.map((rule) => (
          <li
            key={rule.label}
            className={rule.met === null ? "rule-info" : rule.met ? "rule-met" : "rule-unmet"}
            data-met={rule.met === null ? undefined : String(rule.met)}
          >
            <span aria-hidden="true" className="rule-mark">
              {rule.met === null ? "•" : rule.met ? "✓" : "○"}
            </span>
            {rule.label}
            {rule.met !== null && (
              <span className="visually-hidden">{rule.met ? " (done)" : " (not yet)"}</span>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
