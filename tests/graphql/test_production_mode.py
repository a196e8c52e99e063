"""Security headers on every response; in production, the schema is for staff only."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from crm.app import create_app
from crm.settings import get_settings
from tests.conftest import make_staff, signed_in
from tests.graphql_client import GraphQLClient

INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE_LOOKUP = '{ __type(name: "Contact") { fields { name } } }'
TYPO = "{ contactz { totalCount } }"
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { errors { code } } }"


def _production_app() -> Any:
    settings = dataclasses.replace(
        get_settings(), env="production", public_url="https://crm.example.com"
    )
    return create_app(settings, manage_db=False)


@pytest.fixture
async def production(db: str) -> AsyncIterator[Any]:
    yield _production_app()


async def _anonymous(app: Any) -> GraphQLClient:
    return GraphQLClient(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver")
    )


@pytest.mark.parametrize("path", ["/", "/healthz", "/graphql?query={__typename}"])
async def test_every_response_forbids_framing_sniffing_and_referrers(
    anonymous: GraphQLClient, path: str
) -> None:
    # given any page of the app
    # when it is fetched
    response = await anonymous.http.get(path)

    # then the browser is told not to frame it, guess its type, or send it as a referrer
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in response.headers  # not in development


async def test_the_app_pages_carry_a_content_security_policy(anonymous: GraphQLClient) -> None:
    response = await anonymous.http.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


async def test_production_with_https_adds_hsts_and_a_policy_everywhere(production: Any) -> None:
    # given the app in production behind https
    client = await _anonymous(production)

    # when the API is called
    response = await client.http.get("/graphql?query={__typename}")
    await client.http.aclose()

    # then browsers are told to use https only, and the API answer has a policy too
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_in_production_strangers_cannot_read_the_schema(production: Any) -> None:
    # given the app in production, an anonymous caller and a staff member
    stranger = await _anonymous(production)
    staff = await signed_in(production, await make_staff())

    # when each reads the schema, or only asks for a type name
    refused = [await stranger.execute(document) for document in (INTROSPECTION, TYPE_LOOKUP)]
    typename = await stranger.execute("{ __typename }")
    allowed = await staff.execute(INTROSPECTION)
    await stranger.http.aclose()
    await staff.http.aclose()

    # then only staff may read the schema; __typename stays open
    assert [result.error_codes for result in refused] == [["UNAUTHENTICATED"]] * 2
    assert all(result.body.get("data") is None for result in refused)
    assert typename.data == {"__typename": "Query"}
    assert allowed.data["__schema"]["queryType"]["name"] == "Query"


async def test_in_production_strangers_get_no_suggestions(production: Any) -> None:
    # given the app in production and an anonymous caller
    stranger = await _anonymous(production)

    # when the caller guesses a field name, and an input field
    result = await stranger.execute(TYPO)
    guessed = await stranger.execute(LOGIN, {"input": {"emial": "a@b.c", "password": "x"}})
    await stranger.http.aclose()

    # then the errors say what does not exist without naming what does
    message = result.errors[0]["message"]
    assert "contactz" in message
    assert "Did you mean" not in message and "contacts" not in message.replace("contactz", "")
    assert set(guessed.error_codes) == {"BAD_REQUEST"}
    messages = " ".join(error["message"] for error in guessed.errors)
    assert "emial" in messages and "Did you mean" not in messages


async def test_in_development_suggestions_help(anonymous: GraphQLClient) -> None:
    # given a development server (the same documents were refused hints in production above)
    # when a caller mistypes a field and an input field
    result = await anonymous.execute(TYPO)
    guessed = await anonymous.execute(LOGIN, {"input": {"emial": "a@b.c", "password": "x"}})

    # then the errors suggest the right names, as a client mistake (not an internal error)
    assert "Did you mean 'contact' or 'contacts'?" in result.errors[0]["message"]
    assert set(guessed.error_codes) == {"BAD_REQUEST"}
    assert "Did you mean 'email'?" in " ".join(error["message"] for error in guessed.errors)
