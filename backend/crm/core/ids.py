"""Global ids: `Type:pk` in URL-safe base64, the opaque ids the API and the exports show.

Plain Python, so code outside the GraphQL layer (the export) writes the same ids as the API;
`crm.graphql.relay` re-exports `to_global_id` and reads them back.
"""

from __future__ import annotations

import base64


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()
