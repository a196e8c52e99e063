"""The "Owner" column: a staff user's email on import, the owner's email on export; a file
without it gives its contacts to whoever imports it (issue 19)."""

from __future__ import annotations

import csv
import io

from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.staff.models import StaffUser
from tests.contacts.helpers import create_contact
from tests.contacts.test_owner import colleague, staff_id
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import csv_bytes, import_file
from tests.imports.test_companies import _import as import_companies


async def owners() -> dict[str, str | None]:
    """Each contact's last name and its owner's email."""
    rows = await Contact.all().values_list("last_name", "owner__email")
    return dict(rows)


async def test_the_owner_column_names_staff_users_by_email(staff: GraphQLClient, db: str) -> None:
    # given a colleague, and a file naming them (in another case), nobody, and a stranger
    await colleague("bo@example.com")
    content = csv_bytes(
        [
            ["Last name", "Contact owner"],
            ["Berg", "BO@example.com"],
            ["Dahl", ""],
            ["Ek", "nobody@example.com"],
        ]
    )

    # when the file is imported
    done = await import_file(staff, content)

    # then the named colleague and the importer own theirs, and the stranger's row fails
    # naming the column
    assert (done["createdCount"], done["failedCount"]) == (2, 1)
    assert await owners() == {"Berg": "bo@example.com", "Dahl": "staff@example.com"}
    (error,) = done["errors"]
    assert (error["row"], error["column"], error["field"], error["code"]) == (
        4,
        "Contact owner",
        "OWNER",
        "NOT_FOUND",
    )
    assert "nobody@example.com" in error["message"]


async def test_a_file_without_owners_gives_its_contacts_to_the_importer(
    staff: GraphQLClient, db: str
) -> None:
    # when a file with no owner column is imported
    done = await import_file(staff, csv_bytes([["Last name"], ["Berg"], ["Dahl"]]))

    # then the importing user owns every contact
    assert done["createdCount"] == 2
    assert await owners() == {"Berg": "staff@example.com", "Dahl": "staff@example.com"}


async def test_a_deactivated_owner_is_refused_for_new_contacts_but_kept_on_updates(
    staff: GraphQLClient, db: str
) -> None:
    # given a contact of a colleague who has since been deactivated
    bo = await colleague("bo@example.com")
    await create_contact(staff, lastName="Berg", email="berg@example.com", ownerId=staff_id(bo))
    bo.is_active = False
    await bo.save()
    content = csv_bytes(
        [
            ["Last name", "Email", "Owner"],
            ["Berg", "berg@example.com", "bo@example.com"],
            ["Dahl", "dahl@example.com", "bo@example.com"],
        ]
    )

    # when a file updating that contact and adding another, both naming them, is imported
    done = await import_file(staff, content, {"duplicateMode": "UPDATE"})

    # then the existing contact stays theirs and the new one is refused
    assert (done["updatedCount"], done["createdCount"], done["failedCount"]) == (1, 0, 1)
    assert [(e["column"], e["code"]) for e in done["errors"]] == [("Owner", "NOT_ALLOWED")]
    assert await owners() == {"Berg": "bo@example.com"}


async def test_the_export_writes_the_owners_email_and_reimport_keeps_it(
    staff: GraphQLClient, db: str
) -> None:
    # given contacts of a colleague and of nobody
    bo = await colleague("bo@example.com")
    await create_contact(staff, lastName="Berg", email="berg@example.com", ownerId=staff_id(bo))
    await create_contact(staff, lastName="Dahl", email="dahl@example.com", ownerId=None)

    # when exported, the owners cleared, and the file imported again as updates
    exported = (await staff.http.get("/export/contacts.csv")).content
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"), newline="")))
    await Contact.all().update(owner_id=None)
    done = await import_file(staff, exported, {"duplicateMode": "UPDATE"})

    # then the Owner column held the email, and the import gave the contact back to them
    assert {row["Last name"]: row["Owner"] for row in rows} == {
        "Berg": "bo@example.com",
        "Dahl": "",
    }
    assert (done["updatedCount"], done["failedCount"]) == (2, 0)
    assert await owners() == {"Berg": "bo@example.com", "Dahl": None}
    assert await StaffUser.filter(is_active=True).count() == 2


async def test_the_companies_export_has_an_owner_column(staff: GraphQLClient, db: str) -> None:
    # given a company of mine
    await staff.execute('mutation { createCompany(input: {name: "Acme"}) { errors { code } } }')

    # when the companies are exported
    exported = (await staff.http.get("/export/companies.csv")).content
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"), newline="")))

    # then the Owner column holds my email
    assert [(row["Name"], row["Owner"]) for row in rows] == [("Acme", "staff@example.com")]


async def test_imported_companies_are_the_importers(staff: GraphQLClient, db: str) -> None:
    # when a companies file is imported
    done = await import_companies(staff, csv_bytes([["Name"], ["Acme"], ["Bolt"]]))

    # then the importing user owns the new companies
    assert done["createdCount"] == 2
    owned = await Company.all().values_list("name", "owner__email")
    assert sorted(owned) == [("Acme", "staff@example.com"), ("Bolt", "staff@example.com")]
