import { useQuery } from "urql";
import { MailConfiguredDocument } from "./mail.generated";

const context = { additionalTypenames: ["AppSettings"] };

/** Whether mail really goes out; null until known. */
export function useMailConfigured(): boolean | null {
  const [{ data }] = useQuery({ query: MailConfiguredDocument, requestPolicy: "cache-first", context });
  return data?.appSettings.mailConfigured ?? null;
}

/** Says plainly, where mail is sent from, that without a mail server nothing leaves the CRM. */
export function NoMailServerBanner() {
  const configured = useMailConfigured();
  if (configured !== false) return null;
  return (
    <p className="notice notice-warning">
      No mail server is configured (CRM_SMTP_URL is not set): emails are written to the server's log, not
      sent.
    </p>
  );
}
