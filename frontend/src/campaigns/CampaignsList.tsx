import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ListPage, ListSearch } from "../components/ListPage";
import { pageArgs } from "../components/Pager";
import { usePageQuery } from "../components/QueryState";
import { Badge } from "../components/ui";
import { NoMailServerBanner } from "../mail/NoMailServerBanner";
import { NewCampaignDialog } from "./CampaignDialogs";
import { CampaignsDocument } from "./campaigns.generated";
import { CAMPAIGN_CONTEXT, CAMPAIGN_STATUSES, CAMPAIGN_TONE, campaignPath, campaignWhen } from "./labels";
import "./campaigns.css";

const PAGE_SIZE = 25;

export function CampaignsList() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const search = params.get("q") ?? "";
  const query = usePageQuery(
    CampaignsDocument,
    { search: search || null, ...pageArgs(params, PAGE_SIZE) },
    CAMPAIGN_CONTEXT,
  );
  const [createOpen, setCreateOpen] = useState(false);

  return (
    <>
      <ListPage
        title="Campaigns"
        noun={["campaign", "campaigns"]}
        filtered={Boolean(search)}
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            New campaign
          </button>
        }
        before={<NoMailServerBanner />}
        toolbar={<ListSearch label="Search campaigns" placeholder="Search campaigns…" />}
        query={query}
        connection={(data) => data.campaigns}
        empty={
          search ? (
            <p>No campaigns match this search.</p>
          ) : (
            <p>
              No campaigns yet. A campaign is an email to groups, segments or a pasted list, sent to those
              who agreed to receive email.{" "}
              <button type="button" className="link-button" onClick={() => setCreateOpen(true)}>
                Write the first campaign
              </button>
              .
            </p>
          )
        }
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">When</th>
            <th scope="col" className="col-count">Recipients</th>
            <th scope="col" className="col-count">Sent</th>
            <th scope="col" className="col-count">Failed</th>
            <th scope="col" className="col-count">Skipped</th>
            <th scope="col" className="col-count">Unsubscribed</th>
          </>
        }
        cells={(campaign) => (
          <>
            <th scope="row" className="col-campaign">
              <Link to={campaignPath(campaign.id)}>{campaign.name}</Link>
              {campaign.subject && <div className="subtle campaign-subject">{campaign.subject}</div>}
            </th>
            <td data-label="Status">
              <Badge tone={CAMPAIGN_TONE[campaign.status]}>{CAMPAIGN_STATUSES[campaign.status]}</Badge>
            </td>
            <td data-label="When">{campaignWhen(campaign)}</td>
            <td className="col-count" data-label="Recipients">
              {campaign.stats.recipients}
            </td>
            <td className="col-count" data-label="Sent">
              {campaign.stats.sent}
              {campaign.stats.logged > 0 && (
                <div className="subtle">{campaign.stats.logged} not sent (no mail server)</div>
              )}
            </td>
            <td className="col-count" data-label="Failed">
              {campaign.stats.failed}
            </td>
            <td className="col-count" data-label="Skipped">
              {campaign.stats.skipped}
            </td>
            <td className="col-count" data-label="Unsubscribed">
              {campaign.stats.unsubscribed}
            </td>
          </>
        )}
      />
      <NewCampaignDialog
        open={createOpen}
        onOpenChange={setCreateOpen}
        onCreated={(campaign) =>
          navigate(campaignPath(campaign.id), { state: { notice: `Created campaign ${campaign.name}.` } })
        }
      />
    </>
  );
}
