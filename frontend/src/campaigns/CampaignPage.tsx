import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { RecordState, usePageQuery } from "../components/QueryState";
import { Badge, PageHeader, useTitle } from "../components/ui";
import { NoMailServerBanner } from "../mail/NoMailServerBanner";
import { CampaignOutcome } from "./CampaignOutcome";
import { CampaignDetailDocument, type CampaignFieldsFragment } from "./campaigns.generated";
import { DraftCampaign } from "./DraftCampaign";
import { CAMPAIGN_CONTEXT, CAMPAIGN_STATUSES, CAMPAIGN_TONE, campaignWhen } from "./labels";
import "./campaigns.css";

/** A campaign: written and sent from here while a draft, then its progress and results. */
export function CampaignPage() {
  const { id = "" } = useParams();
  const query = usePageQuery(CampaignDetailDocument, { id }, CAMPAIGN_CONTEXT);
  const refresh = query[1];
  useTitle(query[0].data?.campaign?.name ?? "Campaign");
  return (
    <RecordState query={query} what="campaign" list="/campaigns" select={(d) => d.campaign}>
      {(campaign) =>
        campaign.status === "DRAFT" ? (
          <DraftCampaign key={campaign.id} campaign={campaign} />
        ) : (
          <CampaignOutcome
            key={campaign.id}
            campaign={campaign}
            onStatusChange={() => refresh({ requestPolicy: "network-only" })}
          />
        )
      }
    </RecordState>
  );
}

/** The campaign's name, status and when, with the page's actions and the mail server banner. */
export function CampaignHeader({
  campaign,
  actions,
}: {
  campaign: CampaignFieldsFragment;
  actions?: ReactNode;
}) {
  return (
    <>
      <p className="breadcrumb">
        <Link to="/campaigns">← Campaigns</Link>
      </p>
      <PageHeader
        title={
          <>
            {campaign.name}
            <Badge tone={CAMPAIGN_TONE[campaign.status]}>{CAMPAIGN_STATUSES[campaign.status]}</Badge>
          </>
        }
        actions={actions}
      >
        <p className="subtle">
          {campaignWhen(campaign)}
          {campaign.createdBy ? ` · written by ${campaign.createdBy}` : ""}
        </p>
      </PageHeader>
      <NoMailServerBanner />
    </>
  );
}
