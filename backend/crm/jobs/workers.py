"""The background runners of a CRM process, which `crm serve` (unless `--no-worker`) and
`crm worker` start. A new kind of background work adds its runner here."""

from __future__ import annotations

from crm.imports.runner import ImportRunner
from crm.jobs.runner import Runner
from crm.mail.worker import DeliveryWorker
from crm.settings import Settings


def background_runners(settings: Settings) -> list[Runner]:
    return [DeliveryWorker(settings).runner(), ImportRunner().runner()]
