"""The contact list reads plain values of only the columns its selection needs: it must answer
exactly what the single-contact lookup (whole rows) answers, for every field."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType

from crm.companies.types import COMPANY_COLUMNS
from crm.contacts.types import CONTACT_COLUMNS
from crm.graphql.schema import schema
from tests.contacts.helpers import CREATE
from tests.graphql_client import GraphQLClient

CONTACT_FIELDS = """
  id title firstName lastName fullName type status email jobTitle isPrimaryContact archived
  createdAt updatedAt lastContactedAt
  address { line1 line2 city region postalCode country }
  preferences { email sms phone post consents { channel granted changedAt source } }
  portal { status invitedAt lastInvitedAt activatedAt lastLoginAt canSendInvite canResendInvite }
  phones { id type number national international country isPrimary }
  groups { id name }
  company {
    id name website industry notes createdAt updatedAt
    address { line1 city country } phone { number national }
  }
"""


@pytest.mark.parametrize(
    ("type_name", "columns"), [("Contact", CONTACT_COLUMNS), ("Company", COMPANY_COLUMNS)]
)
def test_every_field_says_which_columns_it_reads(type_name: str, columns: dict) -> None:
    # given the GraphQL type a list builds from plain rows
    graphql_type = schema._schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)

    # then each of its fields is in the column map (else every list falls back to whole rows)
    assert set(graphql_type.fields) - set(columns) == set()


async def test_the_list_answers_every_field_as_the_lookup_does(staff: GraphQLClient) -> None:
    # given contacts with and without a company, phones, an address and consents
    company = await staff.execute(
        """mutation { createCompany(input: {name: "Acme", website: "acme.example",
             industry: "Retail", notes: "n", phone: "+44 20 7946 0018",
             address: {line1: "1 High St", city: "Leeds", country: "GB"}}) {
             company { id } } }"""
    )
    company_id = company.data["createCompany"]["company"]["id"]
    for index, fields in enumerate(
        [
            {"companyId": company_id, "type": "CLIENT", "email": "ann@acme.example"},
            {"title": "DR", "jobTitle": "Buyer", "address": {"line1": "2 Low St", "city": "York"}},
            {"phones": [{"number": "07400 123456"}, {"number": "+33 6 12 34 56 78"}]},
        ]
    ):
        payload = await staff.mutate(
            "createContact", CREATE, {"lastName": f"Person {index}", **fields}
        )
        assert payload["errors"] == []

    # when the list and the lookup answer the same fields
    listed = await staff.execute(f"{{ contacts {{ edges {{ node {{ {CONTACT_FIELDS} }} }} }} }}")
    nodes = [edge["node"] for edge in listed.data["contacts"]["edges"]]
    looked_up = [
        (await staff.execute(f'{{ contact(id: "{node["id"]}") {{ {CONTACT_FIELDS} }} }}')).data[
            "contact"
        ]
        for node in nodes
    ]

    # then they are the same
    assert len(nodes) == 3
    assert nodes == looked_up
