"""A contact's GraphQL inputs as the services take them (staff forms and the portal alike)."""

from __future__ import annotations

import strawberry

from crm.contacts import services
from crm.contacts.types import AddressInput, PhoneInput, PreferencesInput
from crm.core.inputs import UNSET, Maybe


def phone_inputs(phones: list[PhoneInput] | None) -> list[services.PhoneInput]:
    return [
        services.PhoneInput(
            number=p.number, country=p.country, type=p.type, is_primary=bool(p.is_primary)
        )
        for p in phones or []
    ]


def address_input(address: AddressInput | None) -> services.AddressInput | None:
    return services.AddressInput(**vars(address)) if address is not None else None


def preferences_input(preferences: PreferencesInput | None) -> Maybe[services.PreferencesInput]:
    """Channels left out stay to the automatic rules (None); no preferences at all: UNSET."""
    if preferences is None:
        return UNSET
    return services.PreferencesInput(
        **{
            channel: None if wanted is strawberry.UNSET else wanted
            for channel, wanted in vars(preferences).items()
        }
    )
