"""One file row → the changes `createContact` would get, checked by the contact services.

A row is checked with the same functions the API uses (`apply_changes`, `derive_fields`),
and every problem is reported against the file column it came from.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, TypeVar

import phonenumbers
from phonenumbers.geodata.locale import LOCALE_DATA

from crm.contacts.models import (
    Channel,
    ConsentSource,
    Contact,
    ContactStatus,
    ContactType,
    PhoneNumber,
    PhoneType,
    Title,
)
from crm.contacts.services import (
    AddressInput,
    ContactChanges,
    PhoneInput,
    PreferencesInput,
    apply_changes,
    derive_fields,
    new_contact,
)
from crm.core.errors import ErrorCode, ErrorCollector, FieldError
from crm.core.ids import from_global_id
from crm.core.inputs import UNSET
from crm.core.spreadsheet import FORMULA_TRIGGERS
from crm.core.text import clean, fold
from crm.core.validation import ParsedPhone, email_key, normalize_email, parse_phone
from crm.imports.mapping import PHONE_FIELDS, ImportField
from crm.products.services import MAX_LINKS as MAX_PRODUCT_LINKS
from crm.products.services import MAX_NAME as MAX_PRODUCT_NAME

MULTI_VALUE = ";"

ChoiceT = TypeVar("ChoiceT", ContactType, ContactStatus)

_PHONE_TYPES = {
    ImportField.MOBILE_PHONE: PhoneType.MOBILE,
    ImportField.OFFICE_PHONE: PhoneType.OFFICE,
    ImportField.HOME_PHONE: PhoneType.HOME,
    ImportField.FAX: PhoneType.FAX,
    ImportField.OTHER_PHONE: PhoneType.OTHER,
}
_TITLES = {
    **{t.value.lower(): t for t in Title},
    "doctor": Title.DR,
    "professor": Title.PROF,
    "mister": Title.MR,
}
_TRUE = {"yes", "y", "true", "1", "x", "on", "opted in", "subscribed", "oui", "ja", "si"}
_FALSE = {"no", "n", "false", "0", "off", "opted out", "unsubscribed", "non", "nein"}
_COUNTRY_ALIASES = {"uk": "GB", "usa": "US", "u s a": "US", "us": "US", "england": "GB"}
_CONSENT_FIELDS = {
    ImportField.EMAIL_CONSENT: "email",
    ImportField.SMS_CONSENT: "sms",
    ImportField.PHONE_CONSENT: "phone",
    ImportField.POST_CONSENT: "post",
}
_ADDRESS_FIELDS = {
    ImportField.ADDRESS_LINE1: "line1",
    ImportField.ADDRESS_LINE2: "line2",
    ImportField.CITY: "city",
    ImportField.REGION: "region",
    ImportField.POSTAL_CODE: "postal_code",
    ImportField.COUNTRY: "country",
}
# The service's error paths, mapped back to the field of the file.
_PATH_FIELDS = {
    "title": ImportField.TITLE,
    "firstName": ImportField.FIRST_NAME,
    "lastName": ImportField.LAST_NAME,
    "email": ImportField.EMAIL,
    "type": ImportField.TYPE,
    "status": ImportField.STATUS,
    "jobTitle": ImportField.JOB_TITLE,
    "line1": ImportField.ADDRESS_LINE1,
    "line2": ImportField.ADDRESS_LINE2,
    "city": ImportField.CITY,
    "region": ImportField.REGION,
    "postalCode": ImportField.POSTAL_CODE,
    "country": ImportField.COUNTRY,
}


@cache
def _country_names() -> dict[str, str]:
    """Folded country names in every language phonenumbers knows → ISO code."""
    names: dict[str, str] = {}
    for region, by_language in LOCALE_DATA.items():
        if len(region) != 2:
            continue
        for value in by_language.values():
            if value.startswith("*"):
                value = by_language.get(value[1:], "")
            if value:
                names.setdefault(fold(value), region)
    return names


def country_from_text(text: str) -> str | None:
    """ "GB", "gb", "United Kingdom", "Royaume-Uni", "UK" → "GB"; None when unknown."""
    key = fold(text).replace(".", " ").strip()
    if len(key) == 2 and key.upper() in phonenumbers.SUPPORTED_REGIONS:
        return key.upper()
    return _COUNTRY_ALIASES.get(" ".join(key.split())) or _country_names().get(key)


def unescape(cell: str) -> str:
    """The cell without surrounding spaces or the formula-escaping `'` of our export."""
    value = cell.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def split_full_name(text: str) -> tuple[Title | None, str, str]:
    """ "Dr Jane van Dijk" → (DR, "Jane van", "Dijk"); "Dijk, Jane" → (None, "Jane", "Dijk")."""
    if "," in text:
        last, _, first = text.partition(",")
        return None, first.strip(), last.strip()
    parts = text.split()
    title = None
    if len(parts) > 2 and (found := _TITLES.get(parts[0].lower().rstrip("."))):
        title, parts = found, parts[1:]
    if len(parts) == 1:
        return title, "", parts[0]
    return title, " ".join(parts[:-1]), parts[-1]


def _copy(changes: ContactChanges) -> ContactChanges:
    """The row's changes, safe to adjust: a row is checked as a new contact and may be
    checked again as an update of an existing one."""
    copied = copy(changes)
    if isinstance(changes.address, AddressInput):
        copied.address = copy(changes.address)
    if isinstance(changes.phones, list):
        copied.phones = [copy(phone) for phone in changes.phones]
    return copied


def email_fingerprint(key: str) -> int:
    """8 bytes standing for an email key: the in-file duplicate check keeps a million."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest())


class FingerprintSet:
    """The email fingerprints met in a file, in ~9 bytes each where a set of ints takes ~60
    (a million-row file stays within its memory budget): sorted arrays in 4,096 buckets
    chosen by the top bits, as fingerprints are spread evenly."""

    _BUCKET_BITS = 12

    def __init__(self) -> None:
        self._buckets = [array("Q") for _ in range(1 << self._BUCKET_BITS)]
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, fingerprint: int) -> bool:
        bucket = self._buckets[fingerprint >> (64 - self._BUCKET_BITS)]
        at = bisect_left(bucket, fingerprint)
        return at < len(bucket) and bucket[at] == fingerprint

    def add(self, fingerprint: int) -> None:
        bucket = self._buckets[fingerprint >> (64 - self._BUCKET_BITS)]
        at = bisect_left(bucket, fingerprint)
        if at == len(bucket) or bucket[at] != fingerprint:
            bucket.insert(at, fingerprint)
            self._count += 1

    def update(self, fingerprints: Iterable[int]) -> None:
        for fingerprint in fingerprints:
            self.add(fingerprint)


@dataclass
class RowError:
    column: str | None
    field: ImportField | None
    message: str
    code: str
    # The file column at fault (None when no one column is), so DROP_FIELD can leave it out.
    index: int | None = None
    # The row was imported without this column's value (InvalidValues.DROP_FIELD).
    dropped: bool = False

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "column": self.column,
            "field": self.field.value if self.field else None,
            "message": self.message,
            "code": self.code,
        }
        if self.dropped:
            found["dropped"] = True
        return found


@dataclass
class Defaults:
    type: ContactType = ContactType.LEAD
    status: ContactStatus = ContactStatus.NEW
    # The owner of a new contact whose row names none: who imports the file.
    owner_id: int | None = None
    # The Owner column's staff users by lower-case email: id, and whether still active.
    staff: dict[str, tuple[int, bool]] = field(default_factory=dict)


@dataclass
class NewContactCheck:
    """The row checked as a new contact, ahead of the batch's write; it counts once the batch
    knows the row's email is not already in the database."""

    contact: Contact
    phones: list[tuple[PhoneInput, ParsedPhone]]
    errors: list[RowError]


@dataclass
class ReadRow:
    """A row turned into contact changes, with the problems found so far."""

    number: int
    cells: list[str]
    changes: ContactChanges
    email_key: str | None = None
    # The contact the row's ID column names (an export re-imported): matched before the email.
    contact_id: int | None = None
    company_name: str | None = None
    groups: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    primary_phone: ParsedPhone | None = None
    phone_columns: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    as_new: NewContactCheck | None = None
    # The row's outcome, decided per batch (`check_update`, or `as_new` taken):
    contact: Contact | None = None
    phones: list[tuple[PhoneInput, ParsedPhone]] | None = None
    read_errors: int = 0
    # The problems of the fields left out (InvalidValues.DROP_FIELD): reported, not fatal.
    dropped: list[RowError] = field(default_factory=list)

    def who(self) -> dict[str, str | None]:
        """The contact the row is about, as the file names it, for the tables of problems."""
        names = [
            name
            for name in (self.changes.first_name, self.changes.last_name)
            if isinstance(name, str) and name
        ]
        email = self.changes.email
        return {
            "name": " ".join(names) or None,
            "email": email if isinstance(email, str) and email else None,
        }

    def forget_checks(self) -> None:
        """Back to the row as read (a rolled-back batch is decided again)."""
        del self.errors[self.read_errors :]
        self.contact = self.phones = None


class ColumnReader:
    """What the row readers of every target share: the columns as mapped, problems named by
    column, the Products cell, and reading a row again without its invalid fields
    (DROP_FIELD) once `read` and `check_new` say what is wrong."""

    def __init__(self, headers: list[str], mapping: dict[int, ImportField]) -> None:
        self.headers = headers
        self.mapping = sorted(mapping.items())
        self.column_of: dict[ImportField, int] = {}
        for index, import_field in self.mapping:
            self.column_of.setdefault(import_field, index)

    def header(self, index: int | None) -> str | None:
        return self.headers[index] if index is not None and index < len(self.headers) else None

    def error(self, import_field: ImportField | None, message: str, code: ErrorCode) -> RowError:
        index = self.column_of.get(import_field) if import_field is not None else None
        return RowError(self.header(index), import_field, message, code.value, index)

    def read(self, number: int, cells: list[str]) -> Any:
        raise NotImplementedError

    def check_new(self, row: Any) -> None:
        raise NotImplementedError

    def products(self, row: Any, value: str) -> None:
        names = [name for part in value.split(MULTI_VALUE) if (name := clean(part))]
        too_long = next((name for name in names if len(name) > MAX_PRODUCT_NAME), None)
        if too_long is not None:
            row.errors.append(
                self.error(
                    ImportField.PRODUCTS,
                    f"{too_long[:40]!r}... is not a product name: at most "
                    f"{MAX_PRODUCT_NAME} characters",
                    ErrorCode.INVALID,
                )
            )
        elif len({fold(name) for name in [*row.products, *names]}) > MAX_PRODUCT_LINKS:
            row.errors.append(
                self.error(
                    ImportField.PRODUCTS,
                    f"At most {MAX_PRODUCT_LINKS} products a row",
                    ErrorCode.TOO_MANY,
                )
            )
        else:
            row.products += names

    def without_invalid(self, row: Any) -> Any:
        """The row read and checked again without the columns whose values were refused, when
        that leaves no problem (a name that is missing then, a problem of no one column,
        still fail the row as it was)."""
        assert row.as_new is not None
        problems = [*row.errors, *row.as_new.errors]
        columns = {problem.index for problem in problems}
        if not problems or None in columns:
            return row
        again = self.read(row.number, ["" if i in columns else c for i, c in enumerate(row.cells)])
        self.check_new(again)
        assert again.as_new is not None
        if again.errors or again.as_new.errors:
            return row
        again.cells = row.cells
        again.dropped = [replace(problem, dropped=True) for problem in problems]
        return again


class RowReader(ColumnReader):
    """Turns rows into contact changes following the chosen column mapping.

    Consent comes only from the file: a consent column's yes or no, else the channels the
    user said everyone in the file agreed to (`agreed`). Filled fields tick nothing, unlike
    the contact form, where the user sees the tick and can untick it.
    """

    def __init__(
        self,
        headers: list[str],
        mapping: dict[int, ImportField],
        defaults: Defaults,
        default_country: str,
        agreed: frozenset[Channel] = frozenset(),
    ) -> None:
        super().__init__(headers, mapping)
        self.defaults = defaults
        self.deactivated = {staff_id for staff_id, active in defaults.staff.values() if not active}
        self.deactivated = {staff_id for staff_id, active in defaults.staff.values() if not active}
        self.default_country = default_country
        self.agreed = agreed

    def read(self, number: int, cells: list[str]) -> ReadRow:
        changes = ContactChanges()
        row = ReadRow(number, cells, changes)
        address: dict[str, str] = {}
        consent: dict[str, bool] = {}
        phone_cells: list[tuple[int, ImportField, str]] = []
        for index, import_field in self.mapping:
            value = unescape(cells[index]) if index < len(cells) else ""
            if not value:
                continue
            if import_field in PHONE_FIELDS:
                phone_cells.append((index, import_field, value))
            elif import_field in _ADDRESS_FIELDS:
                address[_ADDRESS_FIELDS[import_field]] = value
            elif import_field in _CONSENT_FIELDS:
                self._consent(row, import_field, value, consent)
            else:
                self._simple(row, import_field, value)
        country = self._country(row, address)
        self._phones(row, phone_cells, country)
        if address:
            changes.address = AddressInput(**address)
        if consent:
            changes.preferences = PreferencesInput(**consent)
        row.read_errors = len(row.errors)
        return row

    @staticmethod
    def email_key_of(cell: str) -> str | None:
        """The key `check_new` gives the row's email (resuming a job needs it from the cell)."""
        value = unescape(cell)
        return email_key(normalize_email(value, ("email",), ErrorCollector()) or value)

    def _simple(self, row: ReadRow, import_field: ImportField, value: str) -> None:
        changes = row.changes
        match import_field:
            case ImportField.ID:
                parsed = from_global_id(value)
                if parsed is None or parsed[0] != "Contact":
                    row.errors.append(
                        self.error(
                            import_field,
                            f"{value!r} is not the ID of a contact exported from this CRM",
                            ErrorCode.INVALID,
                        )
                    )
                else:
                    row.contact_id = parsed[1]
            case ImportField.TITLE:
                title = _TITLES.get(value.lower().rstrip("."))
                if title is None:
                    row.errors.append(
                        self.error(
                            import_field,
                            f"{value!r} is not a title: use Mr, Mrs, Ms, Miss, Mx, Dr or Prof",
                            ErrorCode.INVALID,
                        )
                    )
                changes.title = title
            case ImportField.FIRST_NAME:
                changes.first_name = value
            case ImportField.LAST_NAME:
                changes.last_name = value
            case ImportField.FULL_NAME:
                title, first, last = split_full_name(value)
                changes.first_name, changes.last_name = first, last
                if title is not None and ImportField.TITLE not in self.column_of:
                    changes.title = title
            case ImportField.EMAIL:
                # Checked by the services; the key is refined from the normalised address
                # when that differs (see `services._classify`).
                changes.email = value
                row.email_key = email_key(value)
            case ImportField.TYPE:
                changes.type = self._choice(row, import_field, value, ContactType)
            case ImportField.STATUS:
                changes.status = self._choice(row, import_field, value, ContactStatus)
            case ImportField.JOB_TITLE:
                changes.job_title = value
            case ImportField.COMPANY:
                if len(value) > 200:
                    row.errors.append(
                        self.error(
                            import_field,
                            "Company must be at most 200 characters long",
                            ErrorCode.INVALID,
                        )
                    )
                else:
                    row.company_name = clean(value)
            case ImportField.GROUPS:
                row.groups += [name for part in value.split(MULTI_VALUE) if (name := clean(part))]
            case ImportField.PRODUCTS:
                self.products(row, value)
            case ImportField.OWNER:
                self._owner(row, value)

    def _owner(self, row: ReadRow, value: str) -> None:
        """The staff user the Owner cell names by email. A deactivated one is taken here and
        refused by the checks unless the contact already has them (see `_deactivated_owner`)."""
        found = self.defaults.staff.get(value.strip().lower())
        if found is None:
            row.errors.append(
                self.error(
                    ImportField.OWNER,
                    f"No staff user has the email {value!r} (column "
                    f"{self.header(self.column_of[ImportField.OWNER])!r})",
                    ErrorCode.NOT_FOUND,
                )
            )
            return
        row.changes.owner_id = found[0]

    def _deactivated_owner(self, changes: ContactChanges, current: int | None) -> RowError | None:
        owner_id = changes.owner_id
        if not isinstance(owner_id, int) or owner_id == current:
            return None
        if owner_id in self.deactivated:
            return self.error(
                ImportField.OWNER,
                "This staff user is deactivated: choose someone who can still sign in",
                ErrorCode.NOT_ALLOWED,
            )
        return None

    def _choice(
        self, row: ReadRow, import_field: ImportField, value: str, enum: type[ChoiceT]
    ) -> ChoiceT:
        key = fold(value).replace(" ", "_").upper()
        try:
            return enum(key)
        except ValueError:
            names = ", ".join(member.value.capitalize() for member in enum)
            row.errors.append(
                self.error(import_field, f"{value!r} is not one of {names}", ErrorCode.INVALID)
            )
            return enum(self.defaults.type if enum is ContactType else self.defaults.status)

    def _consent(
        self, row: ReadRow, import_field: ImportField, value: str, consent: dict[str, bool]
    ) -> None:
        key = fold(value)
        if key in _TRUE or key in _FALSE:
            consent[_CONSENT_FIELDS[import_field]] = key in _TRUE
        else:
            row.errors.append(
                self.error(import_field, f"{value!r} is not yes or no", ErrorCode.INVALID)
            )

    def _country(self, row: ReadRow, address: dict[str, str]) -> str:
        given = address.get("country")
        if not given:
            return self.default_country
        code = country_from_text(given)
        if code is None:
            row.errors.append(
                self.error(
                    ImportField.COUNTRY,
                    f"{given!r} is not a country name or ISO code",
                    ErrorCode.INVALID,
                )
            )
            del address["country"]
            return self.default_country
        address["country"] = code
        return code

    def _phones(
        self, row: ReadRow, cells: list[tuple[int, ImportField, str]], country: str
    ) -> None:
        if not cells:
            return
        phones: list[PhoneInput] = []
        for index, import_field, value in cells:
            if import_field == ImportField.PRIMARY_PHONE:
                problems = ErrorCollector()
                row.primary_phone = parse_phone(value, country, ("primary",), problems)
                for problem in problems.errors:
                    row.errors.append(
                        RowError(
                            self.header(index), import_field, problem.message, problem.code, index
                        )
                    )
                continue
            for number in value.split(MULTI_VALUE):
                if number.strip():
                    phones.append(PhoneInput(unescape(number), country, _PHONE_TYPES[import_field]))
                    row.phone_columns.append(index)
        row.changes.phones = phones

    # --- checks with the contact services' rules ----------------------------------------

    def _report(
        self,
        row: ReadRow,
        problems: list[FieldError],
        into: list[RowError],
        phone_columns: list[int] | None = None,
    ) -> None:
        phone_columns = row.phone_columns if phone_columns is None else phone_columns
        for problem in problems:
            path = problem.field or ()
            import_field: ImportField | None = None
            index: int | None = None
            if path[:1] == ("phones",) and len(path) > 1 and path[1].isdigit():
                position = int(path[1])
                if position < len(phone_columns) and phone_columns[position] >= 0:
                    index = phone_columns[position]
                    import_field = dict(self.mapping).get(index)
            elif path:
                import_field = _PATH_FIELDS.get(path[-1])
                if path[-1] == "lastName" and ImportField.LAST_NAME not in self.column_of:
                    import_field = ImportField.FULL_NAME
            if import_field is not None and index is None:
                index = self.column_of.get(import_field)
            into.append(
                RowError(self.header(index), import_field, problem.message, problem.code, index)
            )

    def _with_primary(
        self, row: ReadRow, phones: list[tuple[PhoneInput, ParsedPhone]] | None
    ) -> list[tuple[PhoneInput, ParsedPhone]] | None:
        primary = row.primary_phone
        if primary is None:
            return phones
        phones = list(phones or [])
        for given, parsed in phones:
            given.is_primary = parsed.e164 == primary.e164
        if not any(parsed.e164 == primary.e164 for _, parsed in phones):
            kind = PhoneType.MOBILE if primary.is_mobile else PhoneType.OTHER
            phones.insert(0, (PhoneInput(primary.e164, None, kind, True), primary))
        return phones

    def check_new(self, row: ReadRow) -> None:
        """Build the new contact from the row into `row.as_new`, with its problems. The row's
        email key becomes the normalised address's when the address is valid."""
        changes = _copy(row.changes)
        if changes.type is UNSET:
            changes.type = self.defaults.type
        if changes.status is UNSET:
            changes.status = self.defaults.status
        if changes.owner_id is UNSET:
            changes.owner_id = self.defaults.owner_id
        contact = new_contact(changes)
        problems = ErrorCollector()
        phones = apply_changes(contact, changes, problems)
        errors: list[RowError] = []
        self._report(row, problems.errors, errors)
        if (refused := self._deactivated_owner(changes, None)) is not None:
            errors.append(refused)
        if contact.email_key:
            row.email_key = contact.email_key
        if not errors and not row.errors:
            phones = self._with_primary(row, phones)
            derive_fields(
                contact, changes, ConsentSource.IMPORT, set(), phones, [], agreed=self.agreed
            )
        row.as_new = NewContactCheck(contact, phones or [], errors)

    def check_update(self, row: ReadRow, contact: Contact, existing: list[PhoneNumber]) -> None:
        """Apply the row's non-empty cells to an existing contact (phones of the types the
        row fills are replaced, the others kept)."""
        changes = _copy(row.changes)
        phone_columns = list(row.phone_columns)
        if changes.address is not UNSET:
            assert changes.address is not None
            for name in ("line1", "line2", "city", "region", "postal_code", "country"):
                if getattr(changes.address, name) is None:
                    column = "address_line1" if name == "line1" else name
                    column = "address_line2" if name == "line2" else column
                    setattr(changes.address, name, getattr(contact, column))
        if changes.phones is not UNSET or row.primary_phone is not None:
            filled_types = {given.type for given in changes.phones or []}
            kept = [
                PhoneInput(p.e164, p.country or None, p.type, p.is_primary)
                for p in existing
                if p.type not in filled_types
            ]
            new = list(changes.phones or [])
            if kept and any(p.is_primary for p in kept):
                for phone in new:
                    phone.is_primary = False
            phone_columns = [-1] * len(kept) + phone_columns
            changes.phones = kept + new
        if (refused := self._deactivated_owner(changes, contact.owner_id)) is not None:
            row.errors.append(refused)
        problems = ErrorCollector()
        phones = apply_changes(contact, changes, problems)
        self._report(row, problems.errors, row.errors, phone_columns)
        if row.errors:
            return
        phones = self._with_primary(row, phones)
        derive_fields(
            contact,
            changes,
            ConsentSource.IMPORT,
            set(),
            phones,
            existing,
            agreed=self.agreed,
        )
        row.contact, row.phones = contact, phones
