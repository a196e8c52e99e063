"""Global ids: `Type:pk` in URL-safe base64, the opaque ids the API and the exports show.

Plain Python, so code outside the GraphQL layer (the export) writes the same ids as the API;
`crm.graphql.relay` re-exports both and adds what an id means to the API (`pk_of`...).
"""

from __future__ import annotations

import base64
import binascii


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


# Every table's primary key is a 32-bit IntField; a larger number names no row.
MAX_PK = 2**31 - 1


def from_global_id(global_id: str) -> tuple[str, int] | None:
    try:
        decoded = base64.urlsafe_b64decode(global_id.encode() + b"=" * (-len(global_id) % 4))
        type_name, _, raw_pk = decoded.decode().partition(":")
        pk = int(raw_pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not type_name or pk <= 0 or pk > MAX_PK:
        return None
    return type_name, pk
