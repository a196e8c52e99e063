"""mergeContacts: everything moves to the kept contact, fields as chosen, duplicates erased."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from crm.avatars.models import ContactAvatar
from crm.avatars.services import save_avatar
from crm.campaigns.models import CampaignRecipient, RecipientStatus
from crm.companies.models import Company
from crm.contacts.models import Contact
from crm.core.ids import to_global_id
from crm.duplicates.models import DuplicateCandidate
from crm.duplicates.services import dismiss
from crm.mail.models import OutboxMessage
from crm.mail.services import queue_message
from tests.duplicates.merge_helpers import (
    campaign_row,
    contact,
    create,
    group,
    kinds,
    merge,
    merged_event,
    message,
    note,
    pk,
    problems,
    product,
)
from tests.graphql_client import GraphQLClient

LONDON = "+44 20 7946 0018"
MOBILE = "+44 7400 123456"
OTHER_MOBILE = "+44 7911 123456"


async def test_merging_two_contacts_moves_everything_to_the_kept_one(staff: GraphQLClient):
    # given Alice, and her duplicate with the same office number, more groups, products,
    # notes, a campaign and messages
    alice = await create(
        staff, "Adam", firstName="Alice", email="alice@example.com",
        phones=[{"number": LONDON, "type": "OFFICE"}],
    )  # fmt: skip
    twin = await create(
        staff, "Adam", firstName="Alice", email="a.adam@example.org", jobTitle="Buyer",
        phones=[{"number": LONDON, "type": "OFFICE"}, {"number": MOBILE}],
    )  # fmt: skip
    await group("VIP", alice["id"], twin["id"])
    await group("Newsletter", twin["id"])
    await product("Boiler", alice["id"], twin["id"])
    await product("Heat pump", twin["id"])
    await note(alice["id"], "Called Alice")
    await note(twin["id"], "Met the twin", days_ago=3)
    await note(twin["id"], "Called the twin", days_ago=2)
    await campaign_row("Spring", twin["id"], "a.adam@example.org", RecipientStatus.SENT)
    await message(twin["id"], "Your quote is ready")

    # when the duplicate is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice has all of it, once each, and the duplicate is gone
    assert payload["errors"] == []
    kept = payload["contact"]
    assert kept["id"] == alice["id"]
    assert kept["email"] == "alice@example.com"
    assert kept["jobTitle"] == "Buyer"  # Alice had none: the duplicate's
    assert [p["number"] for p in kept["phones"]] == ["+442079460018", "+447400123456"]
    assert [p["isPrimary"] for p in kept["phones"]] == [True, False]
    assert sorted(g["name"] for g in kept["groups"]) == ["Newsletter", "VIP"]
    assert sorted(p["name"] for p in kept["products"]) == ["Boiler", "Heat pump"]
    assert kept["messages"]["totalCount"] == 1
    assert await contact(staff, twin["id"]) is None
    assert not await Contact.exists(id=pk(twin["id"]))
    found = await contact(staff, alice["id"])
    assert found is not None
    assert kinds(found).count("NOTE") == 3
    assert kinds(found).count("CREATED") == 2  # the whole timeline, the duplicate's too
    event = merged_event(found)
    assert event["summary"].startswith("Merged with Alice Adam (2 notes, ")
    assert "1 group" in event["summary"] and "1 phone number" in event["summary"]
    assert {"field": "Job title", "before": "", "after": "Buyer"} in event["changes"]
    # the campaign history follows her, and search finds her by the number she gained
    assert await CampaignRecipient.filter(contact_id=pk(alice["id"])).count() == 1
    search = "query ($q: String) { contacts(search: $q) { edges { node { id } } } }"
    by_number = await staff.execute(search, {"q": "07400 123456"})
    assert by_number.data["contacts"]["edges"] == [{"node": {"id": alice["id"]}}]
    by_old_domain = await staff.execute(search, {"q": "example.org"})
    assert by_old_domain.data["contacts"]["edges"] == []


async def test_merging_three_contacts_keeps_the_chosen_values(staff: GraphQLClient):
    # given three records of one person
    first = await create(staff, "Adam", firstName="A.", email="alice@example.com")
    second = await create(
        staff, "Adam", firstName="Alice", email="alice.adam@example.org",
        jobTitle="Buyer", address={"line1": "1 High St", "city": "Bath", "postalCode": "BA1 1AA"},
        phones=[{"number": MOBILE}],
    )  # fmt: skip
    third = await create(
        staff, "Adam-Smith", firstName="Alice", title="DR", jobTitle="Head buyer",
        phones=[{"number": MOBILE}, {"number": OTHER_MOBILE}],
    )  # fmt: skip
    await note(second["id"], "From the second")
    await note(third["id"], "From the third")

    # when the user keeps the first, with the second's email and first name and the third's
    # job title
    payload = await merge(
        staff,
        first["id"],
        [second["id"], third["id"]],
        [
            {"field": "email", "sourceId": second["id"]},
            {"field": "firstName", "sourceId": second["id"]},
            {"field": "jobTitle", "sourceId": third["id"]},
        ],
    )

    # then each field is as chosen, others as the kept contact has them or else the first
    # merged contact that has one, and the numbers are listed once
    assert payload["errors"] == []
    kept = payload["contact"]
    assert kept["fullName"] == "Alice Adam"
    assert kept["email"] == "alice.adam@example.org"
    assert kept["jobTitle"] == "Head buyer"
    assert kept["title"] == "DR"  # the first and second have none
    assert kept["address"]["city"] == "Bath"
    assert [p["number"] for p in kept["phones"]] == ["+447400123456", "+447911123456"]
    assert [p["isPrimary"] for p in kept["phones"]] == [True, False]
    # the email taken from a merged contact is the kept contact's now: it finds her
    assert await Contact.filter(email_key="alice.adam@example.org").count() == 1
    found = await contact(staff, first["id"])
    assert found is not None and kinds(found).count("NOTE") == 2
    summary = merged_event(found)["summary"]
    assert "Alice Adam (1 note" in summary and " and Alice Adam-Smith (1 note" in summary
    assert await Contact.filter(id__in=[pk(second["id"]), pk(third["id"])]).count() == 0


async def test_the_most_recent_consent_decision_wins_and_the_history_stays(
    staff: GraphQLClient,
):
    # given Alice who agreed to emails, and her duplicate who said no later
    alice = await create(staff, "Adam", email="alice@example.com", preferences={"email": True})
    twin = await create(staff, "Adam", email="twin@example.com", preferences={"email": True})
    update = """mutation ($input: UpdateContactInput!) {
      updateContact(input: $input) { errors { code } } }"""
    await staff.execute(update, {"input": {"id": twin["id"], "preferences": {"email": False}}})

    # when the duplicate is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then the later "no" wins, and the change that recorded it is on Alice's timeline
    assert payload["errors"] == []
    assert payload["contact"]["preferences"]["email"] is False
    found = await contact(staff, alice["id"])
    assert found is not None
    consent_changes = [
        change
        for edge in found["timeline"]["edges"]
        if edge["node"]["kind"] == "UPDATED"
        for change in edge["node"]["changes"]
        if change["field"] == "Email consent"
    ]
    assert consent_changes and consent_changes[0]["after"].startswith("not given")


async def test_an_unknown_field_or_a_source_outside_the_merge_is_refused(staff: GraphQLClient):
    # given two contacts and a third one not in the merge
    alice = await create(staff, "Adam", email="alice@example.com")
    twin = await create(staff, "Adam", email="twin@example.com")
    stranger = await create(staff, "Stranger")

    # when fields name an unknown field, a field twice, and another contact's value
    payload = await merge(
        staff,
        alice["id"],
        [twin["id"]],
        [
            {"field": "shoeSize", "sourceId": twin["id"]},
            {"field": "email", "sourceId": stranger["id"]},
            {"field": "lastName", "sourceId": twin["id"]},
            {"field": "lastName", "sourceId": alice["id"]},
        ],
    )

    # then each is named, and nothing happened
    assert problems(payload) == [
        (["input", "fields", "0", "field"], "INVALID"),
        (["input", "fields", "1", "sourceId"], "INVALID"),
        (["input", "fields", "3", "field"], "DUPLICATE"),
    ]
    assert payload["contact"] is None
    assert await Contact.exists(id=pk(twin["id"]))


async def test_merging_a_contact_with_itself_is_refused(staff: GraphQLClient):
    # given a contact
    alice = await create(staff, "Adam", email="alice@example.com")
    # when it is merged with itself
    payload = await merge(staff, alice["id"], [alice["id"]])
    # then it is refused, naming the list entry, and the contact is still there
    assert problems(payload) == [(["input", "mergeIds", "0"], "NOT_ALLOWED")]
    assert await contact(staff, alice["id"]) is not None


async def test_missing_unknown_and_too_many_contacts_are_refused(staff: GraphQLClient):
    alice = await create(staff, "Adam")
    twin = await create(staff, "Adam")
    erased = to_global_id("Contact", 9999)

    # nothing to merge
    assert problems(await merge(staff, alice["id"], [])) == [(["input", "mergeIds"], "REQUIRED")]
    # an id that names no contact (or no contact id at all), by its index
    payload = await merge(staff, alice["id"], [twin["id"], erased, "not-an-id"])
    assert problems(payload) == [
        (["input", "mergeIds", "1"], "NOT_FOUND"),
        (["input", "mergeIds", "2"], "NOT_FOUND"),
    ]
    assert problems(await merge(staff, erased, [twin["id"]])) == [
        (["input", "keepId"], "NOT_FOUND")
    ]
    # the same contact twice
    payload = await merge(staff, alice["id"], [twin["id"], twin["id"]])
    assert problems(payload) == [(["input", "mergeIds", "1"], "DUPLICATE")]
    # more than ten at once
    many = [to_global_id("Contact", 1000 + n) for n in range(11)]
    assert problems(await merge(staff, alice["id"], many))[0] == (["input", "mergeIds"], "TOO_MANY")
    assert await Contact.filter(id__in=[pk(alice["id"]), pk(twin["id"])]).count() == 2


async def test_an_archived_duplicate_merges_into_a_live_contact_which_stays_live(
    staff: GraphQLClient,
):
    # given a live contact and an archived duplicate with a note
    alice = await create(staff, "Adam", email="alice@example.com")
    twin = await create(staff, "Adam", email="old@example.com")
    await note(twin["id"], "From the archive")
    archive = """mutation ($input: ContactIdInput!) { archiveContact(input: $input) {
      errors { code } } }"""
    await staff.execute(archive, {"input": {"id": twin["id"]}})

    # when the archived duplicate is merged in, and separately a live one into an archived one
    payload = await merge(staff, alice["id"], [twin["id"]])
    ghost = await create(staff, "Ghost")
    await staff.execute(archive, {"input": {"id": ghost["id"]}})
    lively = await create(staff, "Ghost")
    into_archived = await merge(staff, ghost["id"], [lively["id"]])

    # then the merged contact is live in both cases (archived only when all of them were),
    # with the archived one's note
    assert payload["errors"] == [] and payload["contact"]["archived"] is False
    found = await contact(staff, alice["id"])
    assert found is not None and kinds(found).count("NOTE") == 1
    assert into_archived["errors"] == [] and into_archived["contact"]["archived"] is False
    both_archived = await create(staff, "Both")
    other = await create(staff, "Both")
    for contact_id in (both_archived["id"], other["id"]):
        await staff.execute(archive, {"input": {"id": contact_id}})
    archived = await merge(staff, both_archived["id"], [other["id"]])
    assert archived["errors"] == [] and archived["contact"]["archived"] is True


async def test_a_merged_primary_contact_hands_the_role_to_the_kept_contact(staff: GraphQLClient):
    # given Acme whose primary contact is a duplicate of Alice (also at Acme)
    company = await Company.create(name="Acme", sort_name="acme")
    company_id = to_global_id("Company", company.id)
    alice = await create(staff, "Adam", firstName="Alice", companyId=company_id)
    twin = await create(staff, "Adam", firstName="Alice", companyId=company_id)
    set_primary = """mutation ($input: SetPrimaryContactInput!) {
      setPrimaryContact(input: $input) { errors { code } } }"""
    await staff.execute(set_primary, {"input": {"contactId": twin["id"]}})

    # when the duplicate is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice is Acme's primary contact, and the company's timeline says so
    assert payload["errors"] == []
    assert payload["contact"]["isPrimaryContact"] is True
    primary = await staff.execute(
        "query ($id: ID!) { company(id: $id) { primaryContact { id } "
        "timeline(first: 10) { edges { node { kind summary } } } } }",
        {"id": company_id},
    )
    assert primary.data["company"]["primaryContact"] == {"id": alice["id"]}
    summaries = [e["node"]["summary"] for e in primary.data["company"]["timeline"]["edges"]]
    assert summaries[0] == "Alice Adam became the primary contact"
    # the duplicate's own turn as primary contact now names Alice, not "a deleted contact"
    assert not any("deleted contact" in summary for summary in summaries)


async def test_a_contact_without_company_takes_the_duplicates_company_and_role(
    staff: GraphQLClient,
):
    # given a duplicate that is Acme's primary contact, and Alice with no company
    company = await Company.create(name="Acme", sort_name="acme")
    company_id = to_global_id("Company", company.id)
    alice = await create(staff, "Adam")
    twin = await create(staff, "Adam", companyId=company_id)
    set_primary = """mutation ($input: SetPrimaryContactInput!) {
      setPrimaryContact(input: $input) { errors { code } } }"""
    await staff.execute(set_primary, {"input": {"contactId": twin["id"]}})

    # when merged
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice works at Acme, as its primary contact
    assert payload["errors"] == []
    assert payload["contact"]["company"]["name"] == "Acme"
    assert payload["contact"]["isPrimaryContact"] is True


async def test_one_campaign_row_per_campaign_survives_the_furthest_one(staff: GraphQLClient):
    # given Alice skipped by "Spring" (no consent) and queued for "Summer" (mail waiting),
    # and her duplicate sent both
    alice = await create(staff, "Adam", email="alice@example.com")
    twin = await create(staff, "Adam", email="twin@example.com")
    await campaign_row("Spring", alice["id"], "alice@example.com", RecipientStatus.SKIPPED)
    waiting = await queue_message(
        kind="CAMPAIGN", to_address="alice@example.com", to_name="Adam", subject="Summer",
        text="Hi", html="Hi",
        contact_id=pk(alice["id"]),
    )  # fmt: skip
    await campaign_row(
        "Summer", alice["id"], "alice@example.com", RecipientStatus.QUEUED, message_id=waiting.id
    )
    moment = datetime.now(UTC) - timedelta(days=1)
    await campaign_row(
        "Spring", twin["id"], "twin@example.com", RecipientStatus.SENT, unsubscribed_at=moment
    )
    await campaign_row("Summer", twin["id"], "twin@example.com", RecipientStatus.SENT)

    # when merged
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice has one row per campaign, the sent ones (with the unsubscribe), and the
    # Summer mail still waiting for her is taken back: she got it already
    assert payload["errors"] == []
    rows = await CampaignRecipient.filter(contact_id=pk(alice["id"])).order_by("campaign_id")
    assert [row.status for row in rows] == [RecipientStatus.SENT, RecipientStatus.SENT]
    assert rows[0].unsubscribed_at is not None
    assert not await OutboxMessage.exists(id=waiting.id)


async def test_a_member_may_merge_a_portal_contact_or_a_visitor_may_not(
    staff: GraphQLClient, member: GraphQLClient, anonymous: GraphQLClient
):
    # given two contacts
    alice = await create(staff, "Adam")
    twin = await create(staff, "Adam")
    # when an anonymous visitor tries, then it is refused and nothing changes
    refused = await anonymous.execute(
        "mutation ($input: MergeContactsInput!) { mergeContacts(input: $input) { "
        "errors { code } } }",
        {"input": {"keepId": alice["id"], "mergeIds": [twin["id"]]}},
    )
    assert refused.error_codes == ["UNAUTHENTICATED"]
    assert await Contact.exists(id=pk(twin["id"]))
    # when a MEMBER merges (as they may edit and delete contacts), then it is done
    payload = await merge(member, alice["id"], [twin["id"]])
    assert payload["errors"] == []
    assert not await Contact.exists(id=pk(twin["id"]))


async def test_the_merge_takes_as_many_statements_however_long_the_timeline(
    staff: GraphQLClient,
):
    async def statements_for(notes: int) -> int:
        alice = await create(staff, "Adam")
        twin = await create(staff, "Adam")
        for number in range(notes):
            await note(twin["id"], f"Note {number}")
        result = await staff.execute(
            "mutation ($input: MergeContactsInput!) { mergeContacts(input: $input) { "
            "contact { id } errors { code } } }",
            {"input": {"keepId": alice["id"], "mergeIds": [twin["id"]]}},
        )
        assert result.data["mergeContacts"]["errors"] == []
        assert result.query_count is not None
        return result.query_count

    # given a duplicate with 2 notes, and one with 30; when each is merged; then the same
    assert await statements_for(2) == await statements_for(30)


async def test_a_fax_number_merges_like_any_other(staff: GraphQLClient):
    # given Alice and a duplicate with a fax number (the timeline's labels once lacked fax)
    alice = await create(staff, "Adam")
    twin = await create(staff, "Adam", phones=[{"number": LONDON, "type": "FAX"}])
    # when merged
    payload = await merge(staff, alice["id"], [twin["id"]])
    # then Alice has the fax number, and the MERGED event lists it
    assert payload["errors"] == []
    assert [p["number"] for p in payload["contact"]["phones"]] == ["+442079460018"]
    found = await contact(staff, alice["id"])
    assert found is not None
    change = {"field": "Phones", "before": "", "after": "+44 20 7946 0018 (fax)"}
    assert change in merged_event(found)["changes"]


async def test_the_kept_contact_takes_the_duplicates_avatar_when_it_has_none(
    staff: GraphQLClient,
):
    # given Alice without an avatar, and her duplicate with one
    alice = await create(staff, "Adam")
    twin = await create(staff, "Adam")
    image = io.BytesIO()
    Image.new("RGB", (64, 64), (20, 120, 200)).save(image, "PNG")
    await save_avatar(pk(twin["id"]), image.getvalue())

    # when merged
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice shows the duplicate's picture
    assert payload["errors"] == []
    assert payload["contact"]["avatarUrl"] is not None
    assert await ContactAvatar.exists(contact_id=pk(alice["id"]))


async def test_a_client_cannot_be_left_without_an_email(staff: GraphQLClient):
    # given a client and a lead duplicate without an email
    alice = await create(staff, "Adam", type="CLIENT", email="alice@example.com")
    twin = await create(staff, "Adam")
    # when the merge keeps the lead's (empty) email
    payload = await merge(
        staff, alice["id"], [twin["id"]], [{"field": "email", "sourceId": twin["id"]}]
    )
    # then it is refused on that choice, and both contacts are as they were
    assert problems(payload) == [(["input", "fields", "0", "sourceId"], "REQUIRED")]
    assert await Contact.filter(id__in=[pk(alice["id"]), pk(twin["id"])]).count() == 2
    assert (await Contact.get(id=pk(alice["id"]))).email == "alice@example.com"


async def test_a_dismissed_pair_stays_dismissed_for_the_kept_contact(staff: GraphQLClient):
    # given three Alice Adams with one number: the user said the twin and Alicia are not
    # the same person
    alice = await create(staff, "Adam", firstName="Alice", phones=[{"number": LONDON}])
    twin = await create(staff, "Adam", firstName="Alice", phones=[{"number": LONDON}])
    alicia = await create(staff, "Adam", firstName="Alice", phones=[{"number": LONDON}])
    low, high = sorted((pk(twin["id"]), pk(alicia["id"])))
    pair = await DuplicateCandidate.get(low_contact_id=low, high_contact_id=high)
    await dismiss(pair.id, None)

    # when the twin is merged into Alice
    payload = await merge(staff, alice["id"], [twin["id"]])

    # then Alice and Alicia are not suggested either: the user's answer still holds
    assert payload["errors"] == []
    low, high = sorted((pk(alice["id"]), pk(alicia["id"])))
    kept_pair = await DuplicateCandidate.get(low_contact_id=low, high_contact_id=high)
    assert kept_pair.dismissed_at is not None
    assert await DuplicateCandidate.filter(dismissed_at__isnull=True).count() == 0
