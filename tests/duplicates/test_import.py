"""Imports find duplicates as they write, and their preview lists rows like saved contacts."""

from __future__ import annotations

from crm.duplicates.models import DuplicateReason
from tests.duplicates.helpers import company, pairs, person
from tests.graphql_client import GraphQLClient
from tests.imports.helpers import csv_bytes, import_file, preview, uploaded_job

HEADER = ["First name", "Last name", "Email", "Mobile", "City", "Company"]
LOOK_ALIKES = """
query ($id: ID!) {
  importJob(id: $id) {
    preview { newRows possibleDuplicateRows
              possibleDuplicates { row reasons score contact { fullName } } }
  }
}
"""


async def test_an_import_makes_pairs_with_saved_contacts_and_within_itself(
    staff: GraphQLClient,
) -> None:
    # given Alice Adam, saved with a mobile number
    alice = await person("Alice", "Adam", phones=("06 12 34 56 78",))

    # when a file brings her number under another email, and the same Bob twice
    await import_file(
        staff,
        csv_bytes(
            [
                HEADER,
                ["Alice", "Adam", "alice@new-job.fr", "+33 6 12 34 56 78", "", ""],
                ["Bob", "Brown", "bob@renard.fr", "", "Lyon", ""],
                ["Bob", "Browne", "bob.browne@renard.fr", "", "Lyon", ""],
            ]
        ),
    )

    # then both pairs wait for review
    found = await pairs()
    assert len(found) == 2
    assert found[(alice, alice + 1)] == [DuplicateReason.SAME_PHONE, DuplicateReason.SIMILAR_NAME]
    assert found[(alice + 2, alice + 3)] == [DuplicateReason.SIMILAR_NAME]


async def test_an_import_updating_a_contact_finds_its_pairs_again(staff: GraphQLClient) -> None:
    # given two saved contacts with nothing in common
    first = await person("Alice", "Adam", email="alice@renard.fr", phones=("06 12 34 56 78",))
    second = await person("Zed", "Zorro", email="zed@renard.fr")

    # when an import updates the second (matched by email) with the first's number
    await import_file(
        staff,
        csv_bytes([HEADER, ["Zed", "Zorro", "zed@renard.fr", "+33612345678", "", ""]]),
        {"duplicateMode": "UPDATE"},
    )

    # then they are a pair
    assert await pairs() == {(first, second): [DuplicateReason.SAME_PHONE]}


async def test_the_preview_lists_rows_like_saved_contacts(staff: GraphQLClient) -> None:
    # given Alice Adam at Renard Jacquot and Carol White in Lyon
    renard = await company("Renard Jacquot")
    await person("Alice", "Adam", email="alice@renard.fr", company=renard)
    await person("Carol", "White", city="Lyon")

    # when a file with Alice under a new email at her company, Carole in Lyon and a stranger
    # from Lyon is previewed
    job = await uploaded_job(
        staff,
        csv_bytes(
            [
                HEADER,
                ["Alice", "Adam", "alice.adam@gmail.com", "", "", "Renard Jacquot"],
                ["Dan", "Green", "dan@green.fr", "", "Lyon", ""],
                ["Carole", "White", "", "", "LYON", ""],
            ]
        ),
    )
    await preview(staff, job)
    result = await staff.execute(LOOK_ALIKES, {"id": job["id"]})

    # then the two look-alikes are counted and listed by row, nothing written
    found = result.data["importJob"]["preview"]
    assert found["newRows"] == 3
    assert found["possibleDuplicateRows"] == 2
    assert [
        (item["reasons"], item["contact"]["fullName"]) for item in found["possibleDuplicates"]
    ] == [
        (["SIMILAR_NAME", "SAME_COMPANY"], "Alice Adam"),
        (["SIMILAR_NAME"], "Carol White"),
    ]
    rows = [item["row"] for item in found["possibleDuplicates"]]
    assert rows == sorted(rows) and len(set(rows)) == 2
    assert await pairs() == {}


async def test_the_preview_names_each_look_alike_row_as_the_file_does(
    staff: GraphQLClient,
) -> None:
    # given Alice Adam, saved with a mobile number
    await person("Alice", "Adam", email="alice@renard.fr", phones=("06 12 34 56 78",))

    # when a file with her number under another name form and email is previewed
    job = await uploaded_job(
        staff,
        csv_bytes([HEADER, ["Alice", "ADAM", "alice.adam@gmail.com", "+33612345678", "", ""]]),
    )
    await preview(staff, job)
    result = await staff.execute(
        "query ($id: ID!) { importJob(id: $id) "
        "{ preview { possibleDuplicates { row name email contact { email } } } } }",
        {"id": job["id"]},
    )

    # then the row is named as the file gives it, beside the saved contact it resembles
    assert result.data["importJob"]["preview"]["possibleDuplicates"] == [
        {
            "row": 2,
            "name": "Alice ADAM",
            "email": "alice.adam@gmail.com",
            "contact": {"email": "alice@renard.fr"},
        }
    ]
