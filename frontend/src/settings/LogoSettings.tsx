import { useId, useState, type ChangeEvent } from "react";
import { useClient } from "urql";
import { NoticeBar, type Notice } from "../components/ui";
import { OFFLINE } from "../lib/problems";
import { APP_SETTINGS_CONTEXT } from "../lib/settings";
import { sendFile } from "../lib/upload";
import { AppSettingsDocument } from "../lib/settings.generated";
import { SettingsPageDocument } from "./settings.generated";

/** PUT (the image as the body) or DELETE the logo; the server's message when refused. */
async function sendLogo(method: "PUT" | "DELETE", file?: File): Promise<string | null> {
  const answer = await sendFile("/settings/logo", { method, body: file });
  if (!answer) return OFFLINE;
  if (answer.ok) return null;
  if (answer.status === 413) return "The logo must be at most 1 MB.";
  return answer.error?.message ?? `The logo could not be saved (${answer.status}).`;
}

/** Settings › Organisation: the logo shown in the app, the portal and emails. */
export function LogoSettings({ logoUrl }: { logoUrl: string | null }) {
  const inputId = useId();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const after = async (problem: string | null, done: string) => {
    setBusy(false);
    setNotice(problem ? { tone: "error", text: problem } : { tone: "ok", text: done });
    if (!problem) {
      // The settings page and the navigation read the logo again.
      const fresh = { ...APP_SETTINGS_CONTEXT, requestPolicy: "network-only" as const };
      await Promise.all([
        client.query(SettingsPageDocument, {}, fresh).toPromise(),
        client.query(AppSettingsDocument, {}, fresh).toPromise(),
      ]);
    }
  };
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setBusy(true);
    await after(await sendLogo("PUT", file), "The logo is saved: it shows in the app, the portal and emails.");
  };
  const remove = async () => {
    setBusy(true);
    await after(await sendLogo("DELETE"), "The logo is removed.");
  };

  return (
    <section className="card settings-logo" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Logo</h2>
      <p className="hint">
        A PNG, JPEG, WebP or GIF of at most 1 MB, shown beside the organisation's name in the app, on
        the client portal and at the top of emails.
      </p>
      <NoticeBar notice={notice} />
      <div className="settings-logo-row">
        {logoUrl ? (
          <img className="settings-logo-preview" src={logoUrl} alt="The current logo" />
        ) : (
          <p className="hint">No logo yet.</p>
        )}
        <label className="button" htmlFor={inputId} aria-disabled={busy}>
          {logoUrl ? "Replace the logo…" : "Choose a logo…"}
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          disabled={busy}
          onChange={upload}
        />
        {logoUrl && (
          <button type="button" className="button" disabled={busy} onClick={remove}>
            Remove
          </button>
        )}
      </div>
    </section>
  );
}
