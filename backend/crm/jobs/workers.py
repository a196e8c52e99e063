"""The background runners of a CRM process, which `crm serve` (unless `--no-worker`) and
`crm worker` start. A new kind of background work adds its runner here."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

from crm.bulk.runner import BulkRunner
from crm.campaigns.delivery import CampaignWriter
from crm.campaigns.sending import CampaignRunner
from crm.home.tallies import tally_runner
from crm.imports.runner import ImportRunner
from crm.jobs.runner import Runner
from crm.mail.models import MessageKind
from crm.mail.worker import DeliveryWorker, MessageWriter
from crm.organisation.services import refresh_stored_settings
from crm.settings import Settings
from crm.tasks.reminders import ReminderRunner


def background_runners(settings: Settings) -> list[Runner]:
    runners = [
        DeliveryWorker(settings).runner(),
        ImportRunner().runner(),
        CampaignRunner().runner(),
        ReminderRunner().runner(),
        tally_runner(),
        BulkRunner().runner(),
    ]
    return [replace(runner, run_once=_with_fresh_settings(runner.run_once)) for runner in runners]


def _with_fresh_settings(
    run_once: Callable[[asyncio.Event], Awaitable[int]],
) -> Callable[[asyncio.Event], Awaitable[int]]:
    """Each round starts with the settings an admin saved in the app, as a request does."""

    async def run(stop: asyncio.Event) -> int:
        await refresh_stored_settings()
        return await run_once(stop)

    return run


def message_writers() -> dict[str, MessageWriter]:
    """The kinds of mail written as they are sent, each with its writer."""
    return {MessageKind.CAMPAIGN.value: CampaignWriter()}
