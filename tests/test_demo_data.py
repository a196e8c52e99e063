"""`crm demo-data`: realistic, valid, searchable fake contacts, fast."""

from __future__ import annotations

from collections import Counter

import phonenumbers
from email_validator import validate_email

from crm.companies.models import Company
from crm.contacts import bulk
from crm.contacts.models import Contact, PhoneNumber
from crm.contacts.services import search_text_for, sort_name_for
from crm.core.text import digits
from crm.core.validation import email_key
from crm.demo import create_demo_data
from tests.graphql_client import GraphQLClient

SEARCH = """
query ($search: String!) {
  contacts(search: $search, first: 500) {
    totalCount
    edges { node { id lastName email phones { number national } } }
  }
}
"""

LIST = """
query ($after: String) {
  contacts(first: 50, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName email type status company { name }
                   phones { number national international country isPrimary } } }
  }
}
"""


async def test_demo_data_is_valid_and_searchable(db: str, staff: GraphQLClient) -> None:
    summary = await create_demo_data(300, seed=7)
    assert "300 contacts" in summary

    contacts = await Contact.all().order_by("id")
    assert len(contacts) == 300
    phones = await PhoneNumber.all()
    by_contact: dict[int, list[PhoneNumber]] = {}
    for phone in phones:
        by_contact.setdefault(phone.contact_id, []).append(phone)

    # Every phone is valid for its country and stored as the services store it.
    for phone in phones:
        parsed = phonenumbers.parse(phone.e164)
        assert phonenumbers.is_valid_number(parsed), phone.e164
        assert phone.e164 == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        assert phonenumbers.region_code_for_number(parsed) == phone.country
        assert phone.national == phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.NATIONAL
        )
    for contact in contacts:
        own = sorted(by_contact.get(contact.id, []), key=lambda p: p.position)
        assert 1 <= len(own) <= 3
        assert [p.position for p in own] == list(range(len(own)))
        assert sum(p.is_primary for p in own) == 1
        # Derived columns are exactly what the services would compute.
        assert contact.sort_name == sort_name_for(contact)
        assert contact.search_text == search_text_for(contact, own)

    # Emails: unique case-insensitively, valid, keyed like the services key them.
    emails = [c.email for c in contacts if c.email]
    assert len(emails) > 200
    assert len({email_key(e) for e in emails}) == len(emails)
    for contact in contacts:
        assert contact.email_key == email_key(contact.email)
    for email in emails[:50]:
        assert validate_email(email, check_deliverability=False).normalized == email

    # At most one primary contact per company, never an archived one.
    primaries = Counter(c.company_id for c in contacts if c.is_primary_contact)
    assert primaries and max(primaries.values()) == 1
    assert all(
        c.company_id is not None and c.archived_at is None for c in contacts if c.is_primary_contact
    )
    assert 20 <= await Company.all().count() <= 60
    assert len({c.country for c in contacts if c.country}) >= 8

    # Search finds a demo contact by last name and by its phone's national digits.
    target = next(
        c
        for c in contacts
        if c.archived_at is None and " " not in c.last_name and c.last_name.isalpha()
    )
    found = await staff.execute(SEARCH, {"search": target.last_name})
    assert target.email in [e["node"]["email"] for e in found.data["contacts"]["edges"]]
    national = sorted(by_contact[target.id], key=lambda p: p.position)[0].national
    found = await staff.execute(SEARCH, {"search": digits(national)})
    ids = [e["node"]["email"] for e in found.data["contacts"]["edges"]]
    assert target.email in ids, (national, ids)

    # The list query pages through them, archived ones hidden.
    seen = 0
    after = None
    while True:
        page = await staff.execute(LIST, {"after": after})
        connection = page.data["contacts"]
        seen += len(connection["edges"])
        for edge in connection["edges"]:
            assert edge["node"]["phones"]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    active = sum(1 for c in contacts if c.archived_at is None)
    assert seen == active == connection["totalCount"]


async def test_demo_data_adds_without_clashing(db: str) -> None:
    await create_demo_data(40, seed=3)
    await create_demo_data(40, seed=3)  # same seed: same names, emails must stay unique
    contacts = await Contact.all()
    assert len(contacts) == 80
    keys = [c.email_key for c in contacts if c.email_key]
    assert len(set(keys)) == len(keys)
    primaries = Counter(c.company_id for c in contacts if c.is_primary_contact)
    assert not primaries or max(primaries.values()) == 1


def test_demo_data_fills_every_column() -> None:
    """A new model column must be filled by demo data or consciously left to its default."""
    from crm.demo.companies import COMPANY_COLUMNS

    contact_fields = set(Contact._meta.db_fields)
    assert contact_fields == set(bulk.CONTACT_COLUMNS) | bulk.CONTACT_DEFAULTED
    assert set(Company._meta.db_fields) == set(COMPANY_COLUMNS)
    assert set(PhoneNumber._meta.db_fields) == {"id", *bulk.PHONE_COLUMNS}
