"""The background runners of a CRM process, which `crm serve` (unless `--no-worker`) and
`crm worker` start. A new kind of background work adds its runner here."""

from __future__ import annotations

from crm.campaigns.delivery import CampaignWriter
from crm.campaigns.sending import CampaignRunner
from crm.imports.runner import ImportRunner
from crm.jobs.runner import Runner
from crm.mail.models import MessageKind
from crm.mail.worker import DeliveryWorker, MessageWriter
from crm.settings import Settings


def background_runners(settings: Settings) -> list[Runner]:
    return [DeliveryWorker(settings).runner(), ImportRunner().runner(), CampaignRunner().runner()]


def message_writers() -> dict[str, MessageWriter]:
    """The kinds of mail written as they are sent, each with its writer."""
    return {MessageKind.CAMPAIGN.value: CampaignWriter()}
