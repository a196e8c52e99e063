import { useEffect, useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { QueryState } from "../components/QueryState";
import { NoticeBar, TextField, useTitle, type Notice } from "../components/ui";
import { useAuth } from "../lib/auth";
import { collectErrors } from "../lib/format";
import { OFFLINE } from "../lib/problems";
import { SettingsForm } from "./SettingsForm";
import {
  SendSettingsTestEmailDocument,
  SettingsTestEmailStatusDocument,
  type SettingsFieldsFragment,
} from "./settings.generated";
import { useSettingsQuery } from "./useSettings";

/** Settings › Mail: the mail server (from the environment), the sender, a test email. */
export function MailSettings() {
  useTitle("Mail settings");
  const query = useSettingsQuery();
  const [notice, setNotice] = useState<Notice | null>(null);
  return (
    <>
      <NoticeBar notice={notice} />
      <QueryState query={query} loading="Loading the settings…" select={(data) => data.settings}>
        {(settings) => (
          <>
            <MailServer settings={settings} />
            <SettingsForm
              key={settings.updatedAt ?? "never"}
              settings={settings}
              keys={["mailFromName", "mailFromAddress"]}
              title="Sender"
              intro={<p className="hint settings-intro">Who the CRM's emails (invitations, password resets, campaigns) come from.</p>}
              onDone={setNotice}
            />
            <TestEmail configured={settings.mailConfigured} />
          </>
        )}
      </QueryState>
    </>
  );
}

function MailServer({ settings }: { settings: SettingsFieldsFragment }) {
  return (
    <section className="card" aria-labelledby="mail-server-title">
      <h2 id="mail-server-title">Mail server</h2>
      {settings.mailConfigured ? (
        <>
          <p className="mail-server">
            Email is sent through <code className="mail-server-url">{settings.mailServer}</code>
          </p>
          <p className="hint">
            From the environment (<code>CRM_SMTP_URL</code>); its password is never shown. Change it in the
            server's configuration and restart the CRM.
          </p>
        </>
      ) : (
        <p className="notice notice-warning settings-notice">
          No mail server is configured (<code>CRM_SMTP_URL</code> is not set): emails are written to the server's
          log, not sent. Set <code>CRM_SMTP_URL</code>, e.g. <code>smtp://user:password@mail.example.com:587?starttls=1</code>,
          and restart the CRM to send them.
        </p>
      )}
    </section>
  );
}

const POLL_MS = 1000;

/** "Send a test email", and what became of it: sent, refused, or only logged. */
function TestEmail({ configured }: { configured: boolean }) {
  const id = useId();
  const auth = useAuth();
  const [to, setTo] = useState(auth.user?.email ?? "");
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [sent, setSent] = useState<{ id: string; to: string } | null>(null);
  const [logged, setLogged] = useState<string | null>(null);
  const [{ fetching }, send] = useMutation(SendSettingsTestEmailDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    setSent(null);
    setLogged(null);
    const result = await send({ input: { to: to.trim() } }, { additionalTypenames: ["OutboxMessage"] });
    const payload = result.data?.sendTestEmail;
    if (payload?.message && payload.errors.length === 0) {
      setError(undefined);
      if (configured) setSent({ id: payload.message.id, to: payload.message.toAddress });
      else setLogged(payload.message.toAddress);
      return;
    }
    const found = payload ? collectErrors(payload.errors, (key) => key === "to") : null;
    setError(found?.fields.to);
    if (!found || found.general.length) setNotice({ tone: "error", text: found?.general.join(" ") || OFFLINE });
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Send a test email</h2>
      <p className="hint settings-intro">
        Checks that the mail server accepts the CRM's email. Every email is also listed in the{" "}
        <Link to="/outbox">Outbox</Link>.
      </p>
      <div className="test-email-row">
        <TextField id={`${id}-to`} label="Send to" type="email" autoComplete="email" value={to} onChange={setTo} error={error} />
        <button type="submit" className="button button-primary" disabled={fetching}>
          {fetching ? "Sending…" : "Send a test email"}
        </button>
      </div>
      {sent && <TestEmailOutcome key={sent.id} id={sent.id} to={sent.to} />}
      {logged && (
        <p className="notice notice-warning settings-notice" role="status">
          Logged, not sent: with no mail server, the test email to {logged} was written to the server's log.
        </p>
      )}
      <NoticeBar notice={notice} />
    </form>
  );
}

/** Follows a queued test email until the mail worker has sent it or given up. */
function TestEmailOutcome({ id, to }: { id: string; to: string }) {
  const [{ data }, refetch] = useQuery({
    query: SettingsTestEmailStatusDocument,
    variables: { id },
    requestPolicy: "network-only",
  });
  const message = data?.node && "status" in data.node ? data.node : null;
  const waiting = !message || message.status === "QUEUED" || message.status === "SENDING";
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => refetch({ requestPolicy: "network-only" }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [waiting, refetch]);

  let notice: Notice;
  if (!message || (waiting && message.attempts === 0)) {
    notice = { tone: "ok", text: `Sending the test email to ${to}…` };
  } else if (waiting) {
    notice = {
      tone: "error",
      text: `The mail server has not accepted the test email to ${to} yet (${message.lastError ?? "no answer"}); the CRM keeps trying.`,
    };
  } else if (message.status === "SENT") {
    notice = { tone: "ok", text: `Sent: the mail server accepted the test email to ${to}. Check that it arrived.` };
  } else if (message.status === "LOGGED") {
    notice = { tone: "ok", text: `Logged, not sent: the test email to ${to} was written to the server's log.` };
  } else {
    notice = { tone: "error", text: `Not sent: the mail server refused the test email to ${to} (${message.lastError ?? "no reason given"}).` };
  }
  return <NoticeBar notice={notice} />;
}
