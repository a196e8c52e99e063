import { useId, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { NoticeBar, PageHeader, TextField, useTitle, type Notice } from "../components/ui";
import { useAuth, type StaffUserInfo } from "../lib/auth";
import { collectErrors, type FieldErrors } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { NewPasswordField, passwordAcceptable } from "../portal/PasswordRules";
import { RepeatPasswordField } from "./PasswordReset";
import { ChangeStaffPasswordDocument, UpdateStaffProfileDocument } from "./staff.generated";
import "./staff.css";

const ROLES = { ADMIN: "Administrator", MEMBER: "Member" };

/** "Your profile": every staff member's own name and password. */
export function Profile() {
  useTitle("Your profile");
  const auth = useAuth();
  const user = auth.user;
  if (!user) return null;
  return (
    <>
      <PageHeader title="Your profile">
        <p className="subtle">
          {user.email}
          {user.role && ` · ${ROLES[user.role]}`}
        </p>
      </PageHeader>
      <div className="profile">
        <NameForm user={user} />
        <PasswordForm email={user.email} />
      </div>
    </>
  );
}

function NameForm({ user }: { user: StaffUserInfo }) {
  const id = useId();
  const auth = useAuth();
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [{ fetching }, update] = useMutation(UpdateStaffProfileDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    const payload = (await update({ input: { name } })).data?.updateStaffProfile;
    if (payload?.user) {
      setError(undefined);
      setNotice({ tone: "ok", text: "Your name was saved." });
      // The navigation shows the name from the session: give it the new one.
      auth.signedInAs(payload.user);
      return;
    }
    const found = payload ? collectErrors(payload.errors, (key) => key === "name") : null;
    setError(found?.fields.name);
    if (!found || found.general.length) setNotice({ tone: "error", text: found?.general.join(" ") || OFFLINE });
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your name</h2>
      <p className="hint">Colleagues see it in the staff list.</p>
      <NoticeBar notice={notice} />
      <TextField id={`${id}-name`} label="Name" value={name} onChange={setName} error={error} autoComplete="name" required />
      <button type="submit" className="button button-primary" disabled={fetching}>
        {fetching ? "Saving…" : "Save name"}
      </button>
    </form>
  );
}

function PasswordForm({ email }: { email: string }) {
  const id = useId();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [{ fetching }, change] = useMutation(ChangeStaffPasswordDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    const problems: FieldErrors = {};
    if (!current) problems.currentPassword = "Enter your current password.";
    if (!passwordAcceptable(password, email)) problems.newPassword = "Choose a password that meets the rules below the field.";
    if (repeated !== password) problems.repeated = "The two passwords are not the same.";
    setErrors(problems);
    if (Object.keys(problems).length) return;
    const payload = (await change({ input: { currentPassword: current, newPassword: password } })).data
      ?.changeStaffPassword;
    if (payload?.ok) {
      setCurrent("");
      setPassword("");
      setRepeated("");
      setNotice({
        tone: "ok",
        text: "Your password was changed. Every other browser signed in to your account was signed out; this one stays signed in.",
      });
      return;
    }
    const found = payload ? collectErrors(payload.errors, (key) => key === "currentPassword" || key === "newPassword") : null;
    setErrors(found?.fields ?? {});
    if (!found || found.general.length) setNotice({ tone: "error", text: found?.general.join(" ") || OFFLINE });
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Change your password</h2>
      <p className="hint">Other browsers signed in to your account are signed out when you change it.</p>
      <NoticeBar notice={notice} />
      <div className="field">
        <label htmlFor={`${id}-current`}>Current password</label>
        <input
          id={`${id}-current`}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          aria-invalid={errors.currentPassword ? true : undefined}
          aria-describedby={errors.currentPassword ? `${id}-current-error` : undefined}
        />
        {errors.currentPassword && (
          <p className="field-error" id={`${id}-current-error`}>
            {errors.currentPassword}
          </p>
        )}
      </div>
      <NewPasswordField label="New password" value={password} onChange={setPassword} email={email} error={errors.newPassword} />
      <RepeatPasswordField id={`${id}-repeat`} value={repeated} onChange={setRepeated} error={errors.repeated} />
      <button type="submit" className="button button-primary" disabled={fetching}>
        {fetching ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
