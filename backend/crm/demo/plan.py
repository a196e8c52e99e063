"""The population decided up front (who works where, who is archived, who is a company's
primary contact), then drawn batch by batch in creation order."""

from __future__ import annotations

import bisect
import itertools
from array import array
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm.demo.contacts import contact_row, with_derived
from crm.demo.generator import THREE_YEARS, Generator


@dataclass
class Plan:
    """Decided up front: who works where, who is archived, who is a primary contact."""

    company_of: array  # index into company_ids, -1 for an individual customer
    archived: bytearray
    primary: bytearray
    company_ids: list[int]
    company_locales: list[int]
    company_domains: list[str]
    oldest: datetime
    step: timedelta


def plan_companies(
    gen: Generator,
    contacts: int,
    company_ids: list[int],
    company_locales: list[int],
    company_domains: list[str],
) -> Plan:
    rng = gen.rng
    companies = len(company_ids)
    # Skewed sizes: a few large customers, many with one or two contacts.
    sizes = list(itertools.accumulate(min(40.0, rng.paretovariate(1.5)) for _ in range(companies)))
    company_of = array("i", [-1]) * contacts
    archived = bytearray(contacts)
    for index in range(contacts):
        if companies and rng.random() < 0.7:
            company_of[index] = min(companies - 1, bisect.bisect(sizes, rng.random() * sizes[-1]))
        archived[index] = rng.random() < 0.05
    wants_primary = [rng.random() < 0.6 for _ in range(companies)]
    primary = bytearray(contacts)
    for index, company in enumerate(company_of):
        if company >= 0 and wants_primary[company] and not archived[index]:
            primary[index] = 1
            wants_primary[company] = False
    return Plan(
        company_of=company_of,
        archived=archived,
        primary=primary,
        company_ids=company_ids,
        company_locales=company_locales,
        company_domains=company_domains,
        oldest=gen.now - THREE_YEARS,
        step=THREE_YEARS / max(contacts, 1),
    )


def contact_batch(gen: Generator, plan: Plan, start: int, stop: int) -> list[dict[str, Any]]:
    """The rows of contacts `start` to `stop` (excluded) of the plan, derived columns filled."""
    batch = []
    for index in range(start, stop):
        company_index = plan.company_of[index]
        company = (
            (
                plan.company_ids[company_index],
                plan.company_locales[company_index],
                plan.company_domains[company_index],
            )
            if company_index >= 0
            else None
        )
        # Creation times rise with the id, as they do in real life, with jitter.
        created = plan.oldest + plan.step * (index + gen.rng.random())
        row = contact_row(
            gen, created, company, bool(plan.archived[index]), bool(plan.primary[index])
        )
        batch.append(with_derived(row))
    return batch
