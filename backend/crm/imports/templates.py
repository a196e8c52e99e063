"""The sample files users download, fill in and upload: the export's importable columns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

TEMPLATE_HEADERS = [
    "Title", "First name", "Last name", "Email", "Type", "Status", "Job title", "Company",
    "Primary phone", "Mobile phone", "Office phone", "Home phone", "Fax", "Other phone",
    "Address line 1", "Address line 2", "City", "Region", "Postal code", "Country", "Groups",
    "Products", "Email consent", "SMS consent", "Phone consent", "Post consent",
]  # fmt: skip

# Fictional people, reserved example domains and numbers from the ranges kept for drama.
TEMPLATE_ROWS = [
    [
        "Ms", "Ada", "Lovelace", "ada.lovelace@example.com", "Client", "Converted",
        "Analyst", "Analytical Engines Ltd", "", "07400 123456", "020 7946 0018", "", "", "",
        "12 St James's Square", "", "London", "", "SW1Y 4JH", "GB", "Newsletter; VIP", "",
        "yes", "no", "yes", "no",
    ],
    [
        "", "Zoë", "Müller", "zoe.muller@example.org", "Lead", "New", "", "", "",
        "+49 1512 3456789", "", "", "", "", "", "", "Berlin", "", "", "Germany", "", "",
        "", "", "", "",
    ],
]  # fmt: skip


COMPANY_TEMPLATE_HEADERS = [
    "Name", "Website", "Industry", "Phone", "Address line 1", "Address line 2", "City",
    "Region", "Postal code", "Country", "Products", "Notes",
]  # fmt: skip
COMPANY_TEMPLATE_ROWS = [
    [
        "Analytical Engines Ltd", "analytical-engines.example.com", "Manufacturing",
        "020 7946 0018", "12 St James's Square", "", "London", "", "SW1Y 4JH", "GB", "",
        "Met at the 2026 fair",
    ],
    [
        "Müller & Söhne GmbH", "https://www.mueller.example.de", "Retail", "+49 30 901820",
        "", "", "Berlin", "", "", "Germany", "", "",
    ],
]  # fmt: skip


@dataclass(frozen=True)
class Template:
    name: str  # of the sheet and, with the extension, of the download
    headers: list[str]
    rows: list[list[str]]


CONTACTS_TEMPLATE = Template("contacts", TEMPLATE_HEADERS, TEMPLATE_ROWS)
COMPANIES_TEMPLATE = Template("companies", COMPANY_TEMPLATE_HEADERS, COMPANY_TEMPLATE_ROWS)


def template_csv(template: Template = CONTACTS_TEMPLATE) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(template.headers)
    # Phone numbers stay text in a spreadsheet only as written here, without a leading +.
    writer.writerows(template.rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def template_xlsx(template: Template = CONTACTS_TEMPLATE) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = template.name.capitalize()
    sheet.append(template.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in template.rows:
        sheet.append(row)
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = max(12, *(len(str(c.value or "")) for c in column))
        for cell in column[1:]:
            cell.number_format = "@"  # text, so phone numbers keep their leading zero
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
