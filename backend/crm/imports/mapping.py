"""The fields a file column can fill, and the proposal made from a file's headers."""

from __future__ import annotations

import re
from enum import StrEnum

from crm.core.errors import ErrorCode, ErrorCollector
from crm.core.ids import from_global_id
from crm.core.text import fold


class ImportField(StrEnum):
    ID = "ID"
    TITLE = "TITLE"
    FIRST_NAME = "FIRST_NAME"
    LAST_NAME = "LAST_NAME"
    FULL_NAME = "FULL_NAME"
    EMAIL = "EMAIL"
    TYPE = "TYPE"
    STATUS = "STATUS"
    JOB_TITLE = "JOB_TITLE"
    COMPANY = "COMPANY"
    PRIMARY_PHONE = "PRIMARY_PHONE"
    MOBILE_PHONE = "MOBILE_PHONE"
    OFFICE_PHONE = "OFFICE_PHONE"
    HOME_PHONE = "HOME_PHONE"
    FAX = "FAX"
    OTHER_PHONE = "OTHER_PHONE"
    ADDRESS_LINE1 = "ADDRESS_LINE1"
    ADDRESS_LINE2 = "ADDRESS_LINE2"
    CITY = "CITY"
    REGION = "REGION"
    POSTAL_CODE = "POSTAL_CODE"
    COUNTRY = "COUNTRY"
    GROUPS = "GROUPS"
    PRODUCTS = "PRODUCTS"
    EMAIL_CONSENT = "EMAIL_CONSENT"
    SMS_CONSENT = "SMS_CONSENT"
    PHONE_CONSENT = "PHONE_CONSENT"
    POST_CONSENT = "POST_CONSENT"
    OWNER = "OWNER"  # a staff user's email
    # Companies only (COMPANY is then the company's name).
    WEBSITE = "WEBSITE"
    INDUSTRY = "INDUSTRY"
    PHONE = "PHONE"
    NOTES = "NOTES"


class ImportTarget(StrEnum):
    """What a file's rows become."""

    CONTACTS = "CONTACTS"
    COMPANIES = "COMPANIES"


PHONE_FIELDS = (
    ImportField.PRIMARY_PHONE,
    ImportField.MOBILE_PHONE,
    ImportField.OFFICE_PHONE,
    ImportField.HOME_PHONE,
    ImportField.FAX,
    ImportField.OTHER_PHONE,
)
# Several columns may fill these (two "Mobile" columns are two mobile numbers).
REPEATABLE = frozenset(PHONE_FIELDS) | {ImportField.GROUPS, ImportField.PRODUCTS}

# Header spellings seen in exports of other CRMs, address books and spreadsheets, folded
# (lower case, no accents) and with punctuation turned into spaces.
SYNONYMS: dict[ImportField, tuple[str, ...]] = {
    ImportField.ID: ("id", "contact id", "crm id"),
    ImportField.TITLE: ("title", "salutation", "prefix", "name prefix", "honorific"),
    ImportField.FIRST_NAME: (
        "first name", "firstname", "given name", "forename", "first", "prenom", "vorname",
        "nombre",
    ),
    ImportField.LAST_NAME: (
        "last name", "lastname", "surname", "family name", "last", "nom", "nachname",
        "apellido", "apellidos",
    ),
    ImportField.FULL_NAME: (
        "full name", "fullname", "name", "contact name", "contact", "display name",
    ),
    ImportField.EMAIL: (
        "email", "e mail", "email address", "e mail address", "mail", "email 1", "primary email",
        "work email", "courriel",
    ),
    ImportField.TYPE: ("type", "contact type", "category"),
    ImportField.STATUS: ("status", "contact status", "lead status", "stage"),
    ImportField.JOB_TITLE: ("job title", "jobtitle", "position", "role", "job", "occupation"),
    ImportField.COMPANY: (
        "company", "company name", "organisation", "organization", "organisation name",
        "organization name", "employer", "business", "account", "account name", "firm",
        "entreprise", "firma",
    ),
    ImportField.PRIMARY_PHONE: ("primary phone", "main phone", "phone 1"),
    ImportField.MOBILE_PHONE: (
        "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone", "gsm",
        "handy", "portable", "movil", "mobile phone number",
    ),
    ImportField.OFFICE_PHONE: (
        "office phone", "work phone", "business phone", "office", "work", "direct line",
        "office number", "work number",
    ),
    ImportField.HOME_PHONE: ("home phone", "home", "home number", "private phone"),
    ImportField.FAX: ("fax", "fax number", "business fax", "home fax"),
    ImportField.OTHER_PHONE: (
        "phone", "telephone", "tel", "phone number", "telephone number", "other phone",
        "phone 2", "telefon", "telefono", "telephone 1",
    ),
    ImportField.ADDRESS_LINE1: (
        "address", "address line 1", "address 1", "street", "street address", "address1",
        "adresse", "line 1",
    ),
    ImportField.ADDRESS_LINE2: ("address line 2", "address 2", "address2", "line 2", "street 2"),
    ImportField.CITY: ("city", "town", "locality", "ville", "stadt", "ciudad", "town city"),
    ImportField.REGION: ("region", "state", "county", "province", "state province", "territory"),
    ImportField.POSTAL_CODE: (
        "postal code", "postcode", "post code", "zip", "zip code", "zipcode", "postal",
        "code postal", "plz",
    ),
    ImportField.COUNTRY: ("country", "country code", "nation", "pays", "land", "pais"),
    ImportField.GROUPS: ("groups", "group", "tags", "lists", "list", "labels"),
    ImportField.PRODUCTS: (
        "products", "product", "product service", "products services", "product services",
        "services", "service", "produits", "produkte", "productos",
    ),
    ImportField.EMAIL_CONSENT: (
        "email consent", "email opt in", "email optin", "accepts email", "email marketing",
        "subscribed",
    ),
    ImportField.SMS_CONSENT: ("sms consent", "sms opt in", "sms optin", "accepts sms"),
    ImportField.PHONE_CONSENT: ("phone consent", "phone opt in", "phone optin", "accepts calls"),
    ImportField.POST_CONSENT: (
        "post consent", "post opt in", "mail consent", "postal consent", "accepts post",
    ),
    ImportField.OWNER: (
        "owner", "contact owner", "owner email", "record owner", "account owner", "assigned to",
        "sales rep", "salesperson", "account manager",
    ),
}  # fmt: skip

_SHARED_WITH_COMPANIES = (
    ImportField.ADDRESS_LINE1,
    ImportField.ADDRESS_LINE2,
    ImportField.CITY,
    ImportField.REGION,
    ImportField.POSTAL_CODE,
    ImportField.COUNTRY,
    ImportField.PRODUCTS,
)
COMPANY_SYNONYMS: dict[ImportField, tuple[str, ...]] = {
    ImportField.ID: ("id", "company id", "crm id"),
    ImportField.COMPANY: (
        *SYNONYMS[ImportField.COMPANY], "name", "company legal name", "legal name",
        "customer", "customer name", "business name", "trading name", "raison sociale",
    ),
    ImportField.WEBSITE: (
        "website", "web site", "web", "url", "domain", "site", "homepage", "home page",
        "www", "web address", "website url", "company domain", "company website", "site web",
    ),
    ImportField.INDUSTRY: ("industry", "sector", "business sector", "branche", "secteur", "sector"),
    ImportField.PHONE: (
        "phone", "telephone", "tel", "phone number", "telephone number", "main phone",
        "office phone", "switchboard", "company phone", "business phone", "telefon", "telefono",
    ),
    ImportField.NOTES: ("notes", "note", "comments", "comment", "description", "remarks"),
    **{field: SYNONYMS[field] for field in _SHARED_WITH_COMPANIES},
}  # fmt: skip
TARGET_FIELDS = {
    ImportTarget.CONTACTS: frozenset(SYNONYMS),
    ImportTarget.COMPANIES: frozenset(COMPANY_SYNONYMS),
}
_LOOKUPS = {
    target: {spelling: field for field, spellings in synonyms.items() for spelling in spellings}
    for target, synonyms in (
        (ImportTarget.CONTACTS, SYNONYMS),
        (ImportTarget.COMPANIES, COMPANY_SYNONYMS),
    )
}
_ID_TYPES = {ImportTarget.CONTACTS: "Contact", ImportTarget.COMPANIES: "Company"}
_PUNCTUATION = re.compile(r"[^0-9a-z]+")
# "(UTC)" after a date column, "*" after a required one, "#2" after a repeated one.
_DECORATION = re.compile(r"\s*(\(.*\)|\*|#\s*\d+)\s*$")


def header_key(header: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(_DECORATION.sub("", header))).split())


def _field_for(key: str, lookup: dict[str, ImportField]) -> ImportField | None:
    field = lookup.get(key)
    if field is None:
        # "Email Address (work)", "Mobile number 2": try without the trailing words.
        parts = key.split()
        for end in range(len(parts) - 1, 0, -1):
            field = lookup.get(" ".join(parts[:end]))
            if field is not None:
                break
    return field


def holds_ids(samples: list[str], type_name: str) -> bool:
    """Whether a column's sample values are all our global ids of `type_name` (an export's
    ID column), not another tool's record numbers."""
    return bool(samples) and all(
        (parsed := from_global_id(sample.strip())) is not None and parsed[0] == type_name
        for sample in samples
    )


def propose(
    headers: list[str],
    samples: list[list[str]] | None = None,
    target: ImportTarget = ImportTarget.CONTACTS,
) -> list[ImportField | None]:
    """The field each column most likely holds; a field is proposed for one column only
    (phones, groups and products excepted). "First name" + "Last name" beats a "Name"
    column. An ID column is proposed when its samples are ids of the target's records (our
    export's), so a re-imported export matches them."""
    proposal: list[ImportField | None] = []
    taken: set[ImportField] = set()
    lookup = _LOOKUPS[target]
    for position, header in enumerate(headers):
        field = _field_for(header_key(header), lookup)
        if field == ImportField.ID:
            column_samples = samples[position] if samples and position < len(samples) else []
            if not holds_ids(column_samples, _ID_TYPES[target]):
                field = None
        if field is not None and field in taken and field not in REPEATABLE:
            field = None
        if field is not None:
            taken.add(field)
        proposal.append(field)
    if ImportField.FIRST_NAME in taken and ImportField.LAST_NAME in taken:
        proposal = [None if f == ImportField.FULL_NAME else f for f in proposal]
    return proposal


def label(field: ImportField) -> str:
    """ "JOB_TITLE" → "Job title", as messages name a field."""
    return field.value.replace("_", " ").capitalize()


def check_mapping(
    mapping: list[tuple[int, ImportField | None]],
    headers: list[str],
    errors: ErrorCollector,
    *,
    updating: bool = False,
    target: ImportTarget = ImportTarget.CONTACTS,
) -> dict[int, ImportField]:
    """The chosen columns by index; duplicates, unknown columns, fields the target lacks and
    a missing name refused. A file that updates records found by id (or a contact's email, a
    company's website) needs no name column."""
    chosen: dict[int, ImportField] = {}
    used: dict[ImportField, int] = {}
    for position, (index, field) in enumerate(mapping):
        path = ("columns", str(position))
        if not 0 <= index < len(headers):
            errors.add((*path, "index"), f"The file has no column {index}", ErrorCode.NOT_FOUND)
            continue
        if index in chosen:
            errors.add((*path, "index"), "This column is mapped twice", ErrorCode.DUPLICATE)
            continue
        if field is None:
            continue
        if field not in TARGET_FIELDS[target]:
            errors.add(
                (*path, "field"),
                f"{label(field)} is not a field of {target.value.lower()}",
                ErrorCode.INVALID,
            )
            continue
        if field in used and field not in REPEATABLE:
            errors.add(
                (*path, "field"),
                f"{label(field)} is already filled from the column {headers[used[field]]!r}",
                ErrorCode.DUPLICATE,
            )
            continue
        used[field] = index
        chosen[index] = field
    fields = set(chosen.values())
    if target == ImportTarget.COMPANIES:
        _check_company_name(fields, errors, updating=updating)
        return chosen
    named = ImportField.LAST_NAME in fields or ImportField.FULL_NAME in fields
    if not named and not (updating and fields & {ImportField.ID, ImportField.EMAIL}):
        errors.add(
            ("columns",),
            "Choose the column that holds the last name (or the full name)"
            + (", or the email to update the contacts it finds" if updating else ""),
            ErrorCode.REQUIRED,
        )
    if ImportField.FULL_NAME in fields and fields & {ImportField.FIRST_NAME, ImportField.LAST_NAME}:
        errors.add(
            ("columns",),
            "Map either the full name or the first and last names, not both",
            ErrorCode.INVALID,
        )
    return chosen


def _check_company_name(
    fields: set[ImportField], errors: ErrorCollector, *, updating: bool
) -> None:
    if ImportField.COMPANY in fields:
        return
    if updating and fields & {ImportField.ID, ImportField.WEBSITE}:
        return
    errors.add(
        ("columns",),
        "Choose the column that holds the company's name"
        + (", or its ID or website to update the companies it finds" if updating else ""),
        ErrorCode.REQUIRED,
    )
