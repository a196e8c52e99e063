"""Lists cost the same number of SQL statements whatever their size (no N+1 queries)."""

from __future__ import annotations

import pytest

from crm.companies.models import Company
from crm.contacts.models import Contact, PhoneNumber, PhoneType
from tests.graphql_client import GraphQLClient

CONTACTS = """
{
  contacts(first: 50) {
    edges {
      node {
        fullName
        phones { number national }
        company { name primaryContact { fullName } }
      }
    }
  }
}
"""

COMPANIES = """
{
  companies(first: 50) {
    edges { node { name contactCount primaryContact { fullName } } }
  }
}
"""

# The session lookup (with its user), the page of contacts joined with their companies, their
# phones, and the companies' primary contacts.
CONTACTS_STATEMENTS = 4
# The list screen: the session lookup, the page with its companies' names, then one statement
# for its phones and groups.
LIST_SCREEN = """
{
  contacts(first: 50) {
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName email type status company { name } groups { name }
                   phones { number national } } }
  }
}
"""
LIST_SCREEN_STATEMENTS = 3
# The session lookup, the page of companies, their contact counts, their primary contacts.
COMPANIES_STATEMENTS = 4


async def seed(contacts: int, companies: int) -> None:
    """`contacts` contacts with two phones each, spread over `companies` companies, each
    company with a primary contact."""
    await Company.bulk_create(
        [Company(name=f"Company {n:03}", sort_name=f"company {n:03}") for n in range(companies)]
    )
    company_ids = await Company.all().order_by("id").values_list("id", flat=True)
    await Contact.bulk_create(
        [
            Contact(
                first_name="Person",
                last_name=f"{n:03}",
                sort_name=f"{n:03} person",
                company_id=company_ids[n % companies],
                is_primary_contact=n < companies,
            )
            for n in range(contacts)
        ]
    )
    contact_ids = await Contact.all().order_by("id").values_list("id", flat=True)
    await PhoneNumber.bulk_create(
        [
            PhoneNumber(
                contact_id=contact_id,
                type=PhoneType.MOBILE if position == 0 else PhoneType.OFFICE,
                e164=f"+4479460{n:05}" if position == 0 else f"+4420794{n:05}",
                country="GB",
                national="national",
                international="international",
                is_primary=position == 0,
                position=position,
            )
            for n, contact_id in enumerate(contact_ids)
            for position in (0, 1)
        ]
    )


@pytest.mark.parametrize(("contacts", "companies"), [(5, 5), (200, 40)])
async def test_contact_list_costs_a_fixed_number_of_statements(
    staff: GraphQLClient, contacts: int, companies: int
) -> None:
    # given contacts, each with two phones and a company that has a primary contact
    await seed(contacts, companies)

    # when a page of contacts is read with their phones, companies and primary contacts
    result = await staff.execute(CONTACTS)

    # then it takes the same few statements whatever the size of the list
    edges = result.data["contacts"]["edges"]
    assert len(edges) == min(contacts, 50)
    assert all(len(edge["node"]["phones"]) == 2 for edge in edges)
    assert all(edge["node"]["company"]["primaryContact"] for edge in edges)
    assert result.query_count == CONTACTS_STATEMENTS


@pytest.mark.parametrize(("contacts", "companies"), [(5, 5), (200, 100)])
async def test_company_list_costs_a_fixed_number_of_statements(
    staff: GraphQLClient, contacts: int, companies: int
) -> None:
    # given companies, each with contacts and a primary contact
    await seed(contacts, companies)

    # when a page of companies is read with contact counts and primary contacts
    result = await staff.execute(COMPANIES)

    # then it takes the same few statements whatever the size of the list
    edges = result.data["companies"]["edges"]
    assert len(edges) == min(companies, 50)
    assert sum(edge["node"]["contactCount"] for edge in edges) == (
        contacts if companies <= 50 else 100
    )
    assert all(edge["node"]["primaryContact"] for edge in edges)
    assert result.query_count == COMPANIES_STATEMENTS


async def test_the_list_screen_is_two_statements_after_the_session(staff: GraphQLClient) -> None:
    # given contacts with phones and companies, some in groups
    await seed(60, 7)
    group = await staff.execute('mutation { createGroup(input: {name: "VIP"}) { group { id } } }')
    contacts = await staff.execute("{ contacts(first: 10) { edges { node { id } } } }")
    ids = [edge["node"]["id"] for edge in contacts.data["contacts"]["edges"]]
    await staff.execute(
        "mutation ($input: GroupMembersInput!) {"
        " addContactsToGroup(input: $input) { errors { code } } }",
        {"input": {"groupId": group.data["createGroup"]["group"]["id"], "contactIds": ids}},
    )

    # when the list screen's page is read
    result = await staff.execute(LIST_SCREEN)

    # then the page comes whole from two statements after the session lookup
    edges = result.data["contacts"]["edges"]
    assert len(edges) == 50
    assert sum(edge["node"]["groups"] == [{"name": "VIP"}] for edge in edges) == 10
    assert all(len(edge["node"]["phones"]) == 2 and edge["node"]["company"] for edge in edges)
    assert result.query_count == LIST_SCREEN_STATEMENTS
