"""Contact export: CSV, xlsx and vCard downloads of the list view or of selected rows."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import openpyxl
import pytest

from crm.contacts.filters import ContactSortField, filtered_contacts, sort_keys
from crm.contacts.models import Contact
from crm.core.pagination import MAX_PAGE_SIZE, PageRequest, paginate
from crm.demo import create_demo_data
from crm.exports.columns import HEADERS, iso_utc, vcard_time
from crm.exports.csv import csv_chunks
from crm.exports.query import PAGE_SIZE, ExportRequest, export_pages
from crm.exports.vcard import fold_line, vcard_escape
from crm.exports.xlsx import xlsx_headers
from crm.groups.models import Group, GroupMembership
from tests.conftest import make_staff, signed_in
from tests.contacts.helpers import ARCHIVE, create_contact
from tests.graphql_client import GraphQLClient

CREATE_COMPANY = """
mutation ($input: CreateCompanyInput!) {
  createCompany(input: $input) { company { id name } errors { field code } }
}
"""
CREATE_GROUP = """
mutation ($input: CreateGroupInput!) {
  createGroup(input: $input) { group { id name } errors { field code } }
}
"""
ADD_TO_GROUP = """
mutation ($input: GroupMembersInput!) {
  addContactsToGroup(input: $input) { group { id } errors { field code } }
}
"""


async def _group(staff: GraphQLClient, name: str, contact_ids: list[str]) -> str:
    group = (await staff.mutate("createGroup", CREATE_GROUP, {"name": name}))["group"]
    payload = await staff.mutate(
        "addContactsToGroup", ADD_TO_GROUP, {"groupId": group["id"], "contactIds": contact_ids}
    )
    assert payload["errors"] == []
    return group["id"]


async def _ann(staff: GraphQLClient) -> dict[str, Any]:
    company = await staff.mutate("createCompany", CREATE_COMPANY, {"name": "Acme; Widgets, Ltd"})
    ann = await create_contact(
        staff,
        title="DR",
        firstName="Ann",
        lastName="Smith",
        email="ann.smith@example.com",
        type="CLIENT",
        status="QUALIFIED",
        jobTitle="Head of Purchasing",
        companyId=company["company"]["id"],
        phones=[
            {"number": "020 7946 0018", "country": "GB", "type": "OFFICE", "isPrimary": True},
            {"number": "+1 202-555-0143", "type": "MOBILE"},
            {"number": "020 7946 0019", "country": "GB", "type": "FAX"},
        ],
        address={
            "line1": "1 High Street",
            "line2": "Flat 2",
            "city": "London",
            "region": "Greater London",
            "postalCode": "SW1A 1AA",
            "country": "gb",
        },
        preferences={"email": True, "phone": False, "post": True},
    )
    await _group(staff, "VIP", [ann["id"]])
    await _group(staff, "Newsletter", [ann["id"]])
    return ann


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


async def _get(client: GraphQLClient, path: str, **params: Any):
    return await client.http.get(path, params=params)


async def test_csv_has_every_field_company_groups_and_typed_phones(staff: GraphQLClient) -> None:
    # given a contact with a company, two groups, three phones and an address
    ann = await _ann(staff)

    # when the list is exported as CSV
    response = await _get(staff, "/export/contacts.csv")

    # then it is an attachment named by date, with a header row and one row per contact
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="contacts-\d{8}\.csv"', response.headers["content-disposition"]
    )
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.splitlines()[0].decode() == ",".join(HEADERS)
    assert b"\r\n" in response.content
    [row] = _csv(response.content)
    expected = {
        "ID": ann["id"],
        "Title": "DR",
        "First name": "Ann",
        "Last name": "Smith",
        "Email": "ann.smith@example.com",
        "Type": "CLIENT",
        "Status": "QUALIFIED",
        "Job title": "Head of Purchasing",
        "Company": "Acme; Widgets, Ltd",
        "Primary contact": "no",
        # E.164 numbers are plain numbers to a spreadsheet: written as they are
        "Primary phone": "+442079460018",
        "Mobile phone": "+12025550143",
        "Office phone": "+442079460018",
        "Home phone": "",
        "Fax": "+442079460019",
        "Other phone": "",
        "Address line 1": "1 High Street",
        "Address line 2": "Flat 2",
        "City": "London",
        "Region": "Greater London",
        "Postal code": "SW1A 1AA",
        "Country": "GB",
        "Groups": "Newsletter; VIP",
        "Products": "",
        "Email consent": "yes",
        "SMS consent": "no",
        "Phone consent": "no",
        "Post consent": "yes",
        "Portal status": ann["portal"]["status"],
        "Archived": "no",
        "Last contacted at": "",
    }
    assert {k: row[k] for k in expected} == expected
    assert row["Created at"].startswith(ann["createdAt"][:19])
    assert row["Created at"].endswith("+00:00")


async def test_csv_bom_option_and_unicode(staff: GraphQLClient) -> None:
    # given contacts with non-ASCII names
    await create_contact(staff, firstName="Zoë", lastName="Ångström")
    await create_contact(staff, firstName="李", lastName="小龍")

    # when exported with and without the BOM
    plain = await _get(staff, "/export/contacts.csv")
    with_bom = await _get(staff, "/export/contacts.csv", bom="1")

    # then only the BOM differs, and the names survive UTF-8
    assert with_bom.content == b"\xef\xbb\xbf" + plain.content
    names = [(r["First name"], r["Last name"]) for r in _csv(with_bom.content)]
    assert sorted(names) == sorted([("Zoë", "Ångström"), ("李", "小龍")])


async def test_formula_cells_are_escaped_in_csv_and_xlsx(staff: GraphQLClient) -> None:
    # given a contact whose fields would run as spreadsheet formulas
    await create_contact(
        staff,
        firstName='=HYPERLINK("http://evil.example","x")',
        lastName="+cmd|' /C calc'!A0",
        jobTitle="@SUM(1+1)",
        address={"line1": "-2+3"},
    )

    # when exported as CSV and as xlsx
    csv_row = _csv((await _get(staff, "/export/contacts.csv")).content)[0]
    xlsx = await _get(staff, "/export/contacts.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    xlsx_row = dict(zip(rows[0], rows[1], strict=True))

    # then every such cell starts with a quote, in both formats, and none is a formula
    assert csv_row["First name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert csv_row["Last name"] == "'+cmd|' /C calc'!A0"
    assert csv_row["Job title"] == "'@SUM(1+1)"
    assert csv_row["Address line 1"] == "'-2+3"
    for header in ("First name", "Last name", "Job title", "Address line 1"):
        assert xlsx_row[header] == csv_row[header]
    formulas = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert all(cell.data_type != "f" for row in formulas.iter_rows() for cell in row)


async def test_xlsx_has_the_same_rows_with_typed_cells(staff: GraphQLClient) -> None:
    # given a full contact
    ann = await _ann(staff)

    # when exported as xlsx
    response = await _get(staff, "/export/contacts.xlsx")

    # then the workbook reads back with a bold header, booleans and UTC datetimes
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["content-disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "Contacts"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == xlsx_headers()
    assert sheet["A1"].font.b
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["ID"] == ann["id"]
    assert row["Company"] == "Acme; Widgets, Ltd"
    assert row["Groups"] == "Newsletter; VIP"
    assert row["Office phone"] == "+442079460018"
    assert row["Email consent"] is True
    assert row["Archived"] is False
    assert row["Created at (UTC)"].isoformat()[:19] == ann["createdAt"][:19]
    assert row["Last contacted at (UTC)"] is None


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")


async def test_vcard_is_version_4_with_phones_company_and_address(staff: GraphQLClient) -> None:
    # given a full contact and one with characters vCard must escape
    await _ann(staff)
    await create_contact(
        staff,
        firstName="Jean, \\ le; Grand",
        lastName="Dupont-" + "é" * 60,
    )

    # when exported as vCard
    response = await _get(staff, "/export/contacts.vcf")

    # then one file holds both cards, CRLF lines of at most 75 octets
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/vcard; charset=utf-8"
    text = response.content.decode()
    assert text.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = _unfold(text)[:-1]
    cards: list[list[str]] = []
    for line in lines:
        if line == "BEGIN:VCARD":
            cards.append([])
        cards[-1].append(line)
    assert len(cards) == 2
    for card in cards:
        assert card[:2] == ["BEGIN:VCARD", "VERSION:4.0"]
        assert card[-1] == "END:VCARD"
        assert sum(line.startswith("FN:") for line in card) == 1
        assert sum(line.startswith("N:") for line in card) == 1
    # sorted by name: Dupont... before Smith
    dupont, ann = cards
    assert "FN:Jean\\, \\\\ le\\; Grand Dupont-" + "é" * 60 in dupont
    assert "N:Dupont-" + "é" * 60 + ";Jean\\, \\\\ le\\; Grand;;;" in dupont
    assert "N:Smith;Ann;;Dr;" in ann
    assert "FN:Ann Smith" in ann
    assert "EMAIL:ann.smith@example.com" in ann
    assert "TEL;VALUE=uri;TYPE=work,voice;PREF=1:tel:+442079460018" in ann
    assert "TEL;VALUE=uri;TYPE=cell:tel:+12025550143" in ann
    assert "TEL;VALUE=uri;TYPE=fax:tel:+442079460019" in ann
    assert "ORG:Acme\\; Widgets\\, Ltd" in ann
    assert "TITLE:Head of Purchasing" in ann
    assert "ADR:;;1 High Street,Flat 2;London;Greater London;SW1A 1AA;GB" in ann
    assert "CATEGORIES:Newsletter,VIP" in ann
    # the long name was folded without splitting a character
    assert any(line.startswith(" ") for line in text.split("\r\n"))


def test_vcard_escape() -> None:
    assert vcard_escape("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def test_fold_line_respects_octets_and_characters() -> None:
    line = "NOTE:" + "ü" * 100
    folded = fold_line(line)
    parts = folded.removesuffix("\r\n").split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert fold_line("FN:short") == "FN:short\r\n"


async def test_filter_search_and_sort_are_those_of_the_list(staff: GraphQLClient) -> None:
    # given clients and leads, one archived
    for last, kind in [("Adams", "CLIENT"), ("Baker", "LEAD"), ("Clark", "CLIENT")]:
        await create_contact(staff, lastName=last, type=kind, email=f"{last}@example.com")
    archived = await create_contact(staff, lastName="Archer", email="archer@example.com")
    await staff.mutate("archiveContact", ARCHIVE, {"id": archived["id"]})

    async def names(**params: Any) -> list[str]:
        response = await _get(staff, "/export/contacts.csv", **params)
        assert response.status_code == 200, response.text
        return [row["Last name"] for row in _csv(response.content)]

    # then archived contacts are left out unless asked for
    assert await names() == ["Adams", "Baker", "Clark"]
    assert await names(filter=json.dumps({"archived": True})) == ["Archer"]
    assert await names(filter=json.dumps({"archived": None})) == [
        "Adams",
        "Archer",
        "Baker",
        "Clark",
    ]
    # the filter, search and order are those of the contacts query
    assert await names(filter=json.dumps({"type": ["CLIENT"]})) == ["Adams", "Clark"]
    assert await names(
        filter=json.dumps({"type": ["CLIENT"]}), orderBy="NAME", direction="DESC"
    ) == [
        "Clark",
        "Adams",
    ]
    assert await names(orderBy=json.dumps({"field": "CREATED_AT", "direction": "DESC"})) == [
        "Clark",
        "Baker",
        "Adams",
    ]
    assert await names(search="bak") == ["Baker"]
    # a bad filter is a 400 with a reason
    bad = await _get(staff, "/export/contacts.csv", filter=json.dumps({"type": ["NOPE"]}))
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["code"] == "INVALID"
    assert (await _get(staff, "/export/contacts.csv", filter="{")).status_code == 400
    assert (await _get(staff, "/export/contacts.csv", orderBy="SHOE_SIZE")).status_code == 400


async def test_selected_rows_only(staff: GraphQLClient) -> None:
    # given three contacts, two selected
    a = await create_contact(staff, lastName="Adams")
    await create_contact(staff, lastName="Baker")
    c = await create_contact(staff, lastName="Clark")

    # when the selection is exported (in any format)
    ids = f"{c['id']},{a['id']}"
    response = await _get(staff, "/export/contacts.csv", ids=ids)
    vcf = await _get(staff, "/export/contacts.vcf", ids=ids)

    # then just those rows come, in the list order
    assert [r["Last name"] for r in _csv(response.content)] == ["Adams", "Clark"]
    assert vcf.text.count("BEGIN:VCARD") == 2
    # an empty selection is an empty file; an id of something else is refused
    assert _csv((await _get(staff, "/export/contacts.csv", ids="")).content) == []
    bad = await _get(staff, "/export/contacts.csv", ids="not-an-id")
    assert bad.status_code == 400


async def test_anonymous_is_refused_and_members_may_export(
    anonymous: GraphQLClient, member: GraphQLClient, app
) -> None:
    for path in ("/export/contacts.csv", "/export/contacts.xlsx", "/export/contacts.vcf"):
        response = await anonymous.http.get(path)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await member.http.get(path)).status_code == 200


async def test_portal_session_is_forbidden(app, db: str) -> None:
    from crm.auth.services import ClientInfo, start_session
    from crm.contacts.models import PortalStatus

    contact = await Contact.create(
        last_name="Portal", sort_name="portal", portal_status=PortalStatus.ACTIVE
    )
    token, _ = await start_session(ClientInfo("127.0.0.1", "pytest"), contact=contact)
    client = await signed_in(app, await make_staff())
    client.http.cookies.set("crm_session", token)
    try:
        response = await client.http.get("/export/contacts.csv")
    finally:
        await client.http.aclose()
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


class _SqlLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%s: %s":
            self.statements.append(str(record.args[0]) if record.args else "")


async def _asgi_get(app: Any, path: str, token: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    requested = False
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", f"crm_session={token}".encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return messages


async def test_large_export_streams_in_chunks_and_reads_keyset_pages(
    staff: GraphQLClient, app: Any
) -> None:
    # given 5,000 contacts (about 1/8 archived, in the demo data)
    await create_demo_data(5000, seed=7)
    active = await Contact.filter(archived_at__isnull=True).count()

    # when the CSV is downloaded (straight through ASGI: httpx's test transport buffers)
    messages = await _asgi_get(app, "/export/contacts.csv", staff.http.cookies["crm_session"])

    # then the headers go first and the body follows in many chunks, one per page of 500
    assert messages[0]["type"] == "http.response.start"
    assert messages[0]["status"] == 200
    chunks = [m["body"] for m in messages[1:] if m.get("body")]
    assert all(m["more_body"] for m in messages[1:-1])
    assert len(chunks) >= active // PAGE_SIZE
    rows = _csv(b"".join(chunks))
    assert len(rows) == active
    assert len({r["ID"] for r in rows}) == active
    sort_names = [(r["Last name"], r["First name"]) for r in rows]
    assert len(sort_names) == active

    # and, in process, the rows are read a keyset page at a time: five bounded queries a page
    # (contacts, companies, phones, groups, products)
    logger = logging.getLogger("tortoise.db_client")
    handler = _SqlLog()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        size = 0
        async for chunk in csv_chunks(export_pages(ExportRequest(page_size=250))):
            size += len(chunk)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    pages = -(-active // 250)
    contact_reads = [s for s in handler.statements if 'FROM "contact"' in s]
    assert len(contact_reads) == pages
    assert all("LIMIT" in s for s in contact_reads)
    assert len(handler.statements) <= 5 * pages
    assert size == sum(len(c) for c in chunks)


@pytest.mark.parametrize("path", ["/export/contacts.xlsx", "/export/contacts.vcf"])
async def test_empty_exports_are_valid(staff: GraphQLClient, path: str) -> None:
    response = await _get(staff, path)
    assert response.status_code == 200
    if path.endswith(".xlsx"):
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
        assert len(rows) == 1
    else:
        assert response.content == b""


async def test_pages_of_any_size_follow_the_list_order_with_the_same_contents(db: str) -> None:
    # given contacts with ties in the name, nulls in last-contacted, groups on some rows
    await create_demo_data(300, seed=11)
    twins = [await Contact.create(last_name="Twin", sort_name="twin") for _ in range(5)]
    vip = await Group.create(name="VIP", name_key="vip")
    alpha = await Group.create(name="alpha", name_key="alpha")
    members = [*twins, *await Contact.filter(archived_at__isnull=True).order_by("id").limit(40)]
    for contact in members:
        await GroupMembership.create(group=vip, contact=contact)
        await GroupMembership.create(group=alpha, contact=contact)

    for field in ContactSortField:
        for descending in (False, True):
            keys = sort_keys(field, descending)
            # the list's own pagination gives the expected order
            expected: list[int] = []
            after: str | None = None
            while True:
                page = await paginate(
                    filtered_contacts(None, None), keys, PageRequest(MAX_PAGE_SIZE, after)
                )
                expected += [contact.id for contact in page.items]
                if not page.has_next_page:
                    break
                after = page.cursors[-1]

            # when exported in pages of several sizes, one that splits the twins among them
            bodies = set()
            for size in (7, 64, PAGE_SIZE):
                request = ExportRequest(keys=keys, page_size=size)
                pages = [records async for records in export_pages(request)]
                bodies.add(b"".join([c async for c in csv_chunks(export_pages(request))]))

                # then every page is full but the last, and the rows are the list's, in order
                assert all(len(records) == size for records in pages[:-1]), (field, size)
                assert [r.values[0] for records in pages for r in records] == expected
            # and the file is the same whatever the page size
            assert len(bodies) == 1
            rows = _csv(bodies.pop())
            assert sum(row["Groups"] == "alpha; VIP" for row in rows) == len(members)


def test_datetimes_are_iso_utc_whatever_the_stored_form() -> None:
    # SQLite holds tortoise's text (isoformat with a space); PostgreSQL gives datetimes
    moments = [
        "2024-05-01 09:30:00+00:00",
        "2024-05-01 09:30:00.123456+00:00",
        "2024-05-01 11:30:00.5+02:00",
        "2024-05-01 09:30:00",
        datetime(2024, 5, 1, 11, 30, 0, 7, tzinfo=timezone(timedelta(hours=2))),
        datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
    ]
    for moment in moments:
        parsed = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        assert iso_utc(moment) == parsed.astimezone(UTC).isoformat()
        assert vcard_time(moment) == parsed.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
