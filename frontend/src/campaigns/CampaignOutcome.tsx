import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { ActionsMenu } from "../components/ActionsMenu";
import { ConfirmDialog } from "../components/dialogs";
import { ParamSelect } from "../components/ListPage";
import { Pager } from "../components/Pager";
import { QueryState } from "../components/QueryState";
import { Badge, Empty, NoticeBar, usePassedNotice } from "../components/ui";
import type { RecipientStatus } from "../gql/schema";
import { contactPath, formatDateTime, keys, plural } from "../lib/format";
import { oneOf } from "../lib/listParams";
import { mutationProblem } from "../lib/problems";
import { AudienceCounts } from "./AudienceCounts";
import { CampaignHeader } from "./CampaignPage";
import {
  CampaignProgressDocument,
  CampaignRecipientsDocument,
  CancelCampaignDocument,
  DeleteCampaignDocument,
  type CampaignFieldsFragment,
  type CampaignStatsFieldsFragment,
} from "./campaigns.generated";
import type { ContactRef } from "./ContactSelect";
import { EmailPreview } from "./EmailPreview";
import { CAMPAIGN_CONTEXT, RECIPIENT_STATUSES, RECIPIENT_TONE, SKIP_REASONS } from "./labels";
import { useEmailPreview } from "./useEmailPreview";

const POLL_MS = 2000;
const PAGE_SIZE = 50;

/**
 * A campaign past its draft: while scheduled or sending, its progress (asked again every
 * 2 s) and Cancel; once sent or cancelled, its results and recipients. Nothing is editable.
 */
export function CampaignOutcome({
  campaign,
  onStatusChange,
}: {
  campaign: CampaignFieldsFragment;
  onStatusChange: () => void;
}) {
  const navigate = useNavigate();
  const [notice, setNotice] = usePassedNotice();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [, cancel] = useMutation(CancelCampaignDocument);
  const [, remove] = useMutation(DeleteCampaignDocument);
  const live = campaign.status === "SCHEDULED" || campaign.status === "SENDING";
  const progress = useProgress(campaign, live, onStatusChange);

  return (
    <>
      <CampaignHeader
        campaign={{ ...campaign, ...progress }}
        actions={
          live ? (
            <button type="button" className="button button-danger" onClick={() => setCancelOpen(true)}>
              Cancel campaign
            </button>
          ) : campaign.status === "CANCELLED" ? (
            <ActionsMenu
              actions={[{ label: "Delete campaign…", danger: true, onSelect: () => setDeleteOpen(true) }]}
            />
          ) : undefined
        }
      />
      <NoticeBar notice={notice} />
      {progress.status === "SCHEDULED" ? (
        <AudienceCounts campaignId={campaign.id} title="If it were sent now" />
      ) : (
        <>
          {live && <ProgressBar stats={progress.stats} />}
          <CampaignStats stats={progress.stats} />
        </>
      )}
      {!live && <Recipients campaignId={campaign.id} />}
      <SentContent campaign={campaign} />
      <ConfirmDialog
        open={cancelOpen}
        onOpenChange={setCancelOpen}
        title={`Cancel ${campaign.name}?`}
        description={
          <p>
            Emails not sent yet stay unsent and are marked as cancelled. Emails already sent cannot be called
            back.
          </p>
        }
        confirmLabel="Cancel campaign"
        action={async () => {
          const result = await cancel({ input: { campaignId: campaign.id } }, CAMPAIGN_CONTEXT);
          return mutationProblem(result, result.data?.cancelCampaign, "Could not cancel.");
        }}
        onDone={() => {
          setNotice({ tone: "ok", text: "Cancelled: what was not sent stays unsent." });
          onStatusChange();
        }}
      />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title={`Delete campaign ${campaign.name}?`}
        description={<p>The campaign and its list of recipients go. No contact is changed.</p>}
        confirmLabel="Delete campaign"
        action={async () => {
          const result = await remove({ input: { id: campaign.id } }, CAMPAIGN_CONTEXT);
          return mutationProblem(result, result.data?.deleteCampaign, "Could not delete.");
        }}
        onDone={() =>
          navigate("/campaigns", { replace: true, state: { notice: `Deleted campaign ${campaign.name}.` } })
        }
      />
    </>
  );
}

/** The campaign's status and stats, asked again every 2 s while `live`; tells when the status moves on. */
function useProgress(campaign: CampaignFieldsFragment, live: boolean, onStatusChange: () => void) {
  const [{ data }, refetch] = useQuery({
    query: CampaignProgressDocument,
    variables: { id: campaign.id },
    requestPolicy: "network-only",
    pause: !live,
    context: CAMPAIGN_CONTEXT,
  });
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => refetch({ requestPolicy: "network-only" }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [live, refetch]);
  const polled = live ? data?.campaign : null;
  const moved = polled != null && polled.status !== campaign.status ? polled.status : null;
  const report = useRef(onStatusChange);
  useEffect(() => {
    report.current = onStatusChange;
  });
  // Once per new status: the page reads the whole campaign again (a sent one shows its results).
  useEffect(() => {
    if (moved) report.current();
  }, [moved]);
  return {
    status: polled?.status ?? campaign.status,
    scheduledAt: polled?.scheduledAt ?? campaign.scheduledAt,
    sentAt: polled?.sentAt ?? campaign.sentAt,
    stats: polled?.stats ?? campaign.stats,
  };
}

/** How far the sending is: the recipients handled of those found so far. */
function ProgressBar({ stats }: { stats: CampaignStatsFieldsFragment }) {
  const handled = stats.recipients - stats.queued;
  const percent = stats.recipients ? Math.round((handled / stats.recipients) * 100) : 0;
  return (
    <div className="progress-block campaign-progress">
      <div
        className={`progress${stats.recipients ? "" : " progress-unknown"}`}
        role="progressbar"
        aria-label="Sending"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={stats.recipients ? percent : undefined}
      >
        <div className="progress-bar" style={stats.recipients ? { width: `${percent}%` } : undefined} />
      </div>
      <p className="progress-text" aria-live="polite">
        {stats.recipients
          ? `${handled} of ${stats.recipients} handled; ` +
            `${plural(stats.queued, "email")} waiting for the mail server.`
          : "Finding the recipients…"}
      </p>
    </div>
  );
}

/** How the sending went: counts by status, the reasons people were skipped, unsubscribes. */
export function CampaignStats({ stats }: { stats: CampaignStatsFieldsFragment }) {
  const reasons = [
    [stats.skippedNoConsent, SKIP_REASONS.NO_CONSENT],
    [stats.skippedNoEmail, SKIP_REASONS.NO_EMAIL],
    [stats.skippedArchived, SKIP_REASONS.ARCHIVED],
    [stats.skippedCancelled, SKIP_REASONS.CANCELLED],
  ] as const;
  const shownReasons = reasons.filter(([count]) => count > 0);
  return (
    <section className="campaign-stats" aria-label="Results">
      <dl className="stats">
        <div className="stat">
          <dt>Recipients</dt>
          <dd>{stats.recipients}</dd>
        </div>
        <div className="stat stat-good">
          <dt>Sent</dt>
          <dd>{stats.sent}</dd>
        </div>
        {stats.logged > 0 && (
          <div className="stat stat-logged">
            <dt>Not sent (no mail server)</dt>
            <dd>{stats.logged}</dd>
          </div>
        )}
        {stats.queued > 0 && (
          <div className="stat">
            <dt>Waiting to be sent</dt>
            <dd>{stats.queued}</dd>
          </div>
        )}
        <div className={`stat${stats.failed ? " stat-bad" : ""}`}>
          <dt>Failed</dt>
          <dd>{stats.failed}</dd>
        </div>
        <div className="stat">
          <dt>Skipped</dt>
          <dd>{stats.skipped}</dd>
        </div>
        <div className="stat">
          <dt>Unsubscribed</dt>
          <dd>{stats.unsubscribed}</dd>
        </div>
      </dl>
      {shownReasons.length > 0 && (
        <p className="skip-reasons">
          Skipped: {shownReasons.map(([count, reason]) => `${count} ${reason}`).join(", ")}.
        </p>
      )}
    </section>
  );
}

const STATUS_FILTER = RECIPIENT_STATUSES;

function recipientDetail(recipient: {
  status: RecipientStatus;
  reason?: keyof typeof SKIP_REASONS | null;
  error?: string | null;
  unsubscribedAt?: string | null;
}) {
  const parts: string[] = [];
  if (recipient.reason) parts.push(SKIP_REASONS[recipient.reason]);
  if (recipient.error && recipient.status !== "SENT") parts.push(recipient.error);
  if (recipient.unsubscribedAt) parts.push(`Unsubscribed ${formatDateTime(recipient.unsubscribedAt)}`);
  return parts.join(" · ");
}

/** Who the campaign went to, or skipped, filterable by status (`?status=` in the address). */
function Recipients({ campaignId }: { campaignId: string }) {
  const [params] = useSearchParams();
  const status = oneOf<RecipientStatus>(params.get("status"), keys(STATUS_FILTER));
  const query = useQuery({
    query: CampaignRecipientsDocument,
    variables: {
      id: campaignId,
      status: status ? [status] : null,
      first: PAGE_SIZE,
      after: params.get("after"),
    },
    requestPolicy: "cache-and-network",
    context: CAMPAIGN_CONTEXT,
  });
  const total = query[0].data?.campaign?.recipients.totalCount;
  return (
    <section className="campaign-recipients" aria-labelledby="campaign-recipients">
      <div className="section-head">
        <h2 id="campaign-recipients">
          Recipients{total !== undefined && <span className="subtle"> · {total}</span>}
        </h2>
      </div>
      <div className="toolbar" role="search" aria-label="Filter recipients">
        <ParamSelect param="status" label="Status" anyLabel="Any status" options={STATUS_FILTER} />
      </div>
      <QueryState
        query={query}
        loading="Loading recipients…"
        select={(d) => (d.campaign?.recipients.edges.length ? d.campaign.recipients : null)}
        empty={
          <Empty>
            <p>{status ? "No recipients have this status." : "Nobody was named by the audience."}</p>
          </Empty>
        }
      >
        {(recipients, stale) => (
          <>
            <div className={`table-wrap${stale ? " is-stale" : ""}`}>
              <table className="table cards">
                <caption className="visually-hidden">Recipients</caption>
                <thead>
                  <tr>
                    <th scope="col">Contact</th>
                    <th scope="col">Email</th>
                    <th scope="col">Status</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {recipients.edges.map(({ node }) => (
                    <tr key={node.id}>
                      <th scope="row" className="col-name">
                        <Link to={contactPath(node.contact.id)}>{node.contact.fullName}</Link>
                      </th>
                      <td className="col-email" data-label="Email">
                        {node.email || <span className="subtle">—</span>}
                      </td>
                      <td data-label="Status">
                        <Badge tone={RECIPIENT_TONE[node.status]}>{RECIPIENT_STATUSES[node.status]}</Badge>
                      </td>
                      <td data-label="Detail">
                        {recipientDetail(node) || <span className="subtle">—</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {/* Recipients page forward only: "First page" and "Next" */}
            <Pager pageInfo={{ ...recipients.pageInfo, hasPreviousPage: false }} label="Recipients pages" />
          </>
        )}
      </QueryState>
    </section>
  );
}

/** What was sent, read-only: the email as a recipient saw it. */
function SentContent({ campaign }: { campaign: CampaignFieldsFragment }) {
  const [previewAs, setPreviewAs] = useState<ContactRef | null>(null);
  const preview = useEmailPreview(campaign.subject, campaign.body, previewAs?.id ?? null);
  return (
    <div className="sent-content">
      <EmailPreview
        email={preview.email}
        problem={preview.problem}
        updating={preview.updating}
        contact={previewAs}
        onContactChange={setPreviewAs}
        title="The email"
      />
    </div>
  );
}
