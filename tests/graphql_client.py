"""A small GraphQL client over httpx, as a browser or script would call the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Result:
    status: int
    body: dict[str, Any]
    query_count: int | None

    @property
    def data(self) -> dict[str, Any]:
        assert not self.body.get("errors"), self.body.get("errors")
        return self.body["data"]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get("errors") or []

    @property
    def error_codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> Result:
        # Encoded here, not by httpx: its JSON keeps non-ASCII as is and cannot send the
        # lone surrogates ("\ud800") that the hostile-input tests need to send.
        body = json.dumps({"query": query, "variables": variables or {}})
        response = await self.http.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        count = response.headers.get("x-query-count")
        return Result(response.status_code, response.json(), int(count) if count else None)

    async def mutate(self, name: str, query: str, input: dict[str, Any]) -> dict[str, Any]:
        """Run a mutation taking `$input` and return its payload (errors included)."""
        result = await self.execute(query, {"input": input})
        return result.data[name]
