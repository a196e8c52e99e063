"""`GET /export/contacts.{csv,xlsx,vcf}` and `/export/companies.{csv,xlsx}`: the contact or
company list view as a streamed download.

Query parameters mirror the `contacts` (or `companies`) query: `filter` (a ContactFilter or
CompanyFilter as JSON), `search`, `orderBy` (a field name such as `NAME`, with
`direction=ASC|DESC`, or a ContactOrder / CompanyOrder as JSON), or `ids` (comma-separated
ids: the selected rows); `bom=1` puts a UTF-8 byte order mark before a CSV for Excel. A
staff session is needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import IO, Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from crm.auth.http import error_response, staff_or_refusal
from crm.companies.filters import CompanySortField
from crm.companies.filters import sort_keys as company_sort_keys
from crm.companies.schema import _filter_spec as company_filter_spec
from crm.companies.types import CompanyFilter, CompanyOrder
from crm.contacts.listing import filter_spec, order_keys
from crm.contacts.types import ContactFilter, ContactOrder
from crm.core.json_values import JSONRefused, broken_text_path, loads_bounded
from crm.exports.companies import CompanyExportRequest, company_pages
from crm.exports.csv import company_csv_chunks, csv_chunks
from crm.exports.query import MAX_SELECTED_IDS, ExportRequest, export_pages
from crm.exports.vcard import vcard_chunks
from crm.exports.xlsx import COMPANIES_SHEET, CONTACTS_SHEET, Sheet, XlsxWriter
from crm.graphql.inputs import InputProblems, input_from_json
from crm.graphql.relay import SortDirection, from_global_id

READ_CHUNK = 64 * 1024
RequestT = TypeVar("RequestT", ExportRequest, CompanyExportRequest)


class BadRequest(Exception):
    def __init__(self, message: str, code: str = "INVALID", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def _graphql_input(raw: Any, type_name: str, python_type: type, argument: str) -> Any:
    try:
        return input_from_json(raw, type_name, python_type)
    except InputProblems as problems:
        raise BadRequest(f"`{argument}` is not a valid {type_name}: {problems}") from None


def _json(text: str, argument: str) -> Any:
    try:
        value = loads_bounded(text)
    except JSONRefused as refused:
        raise BadRequest(f"`{argument}`: {refused}") from None
    except ValueError:
        raise BadRequest(f"`{argument}` must be JSON") from None
    if broken_text_path(value) is not None:
        raise BadRequest(f"`{argument}` contains a character that is not valid Unicode")
    return value


def _order(params: Any, type_name: str, python_type: type) -> Any:
    raw_order = params.get("orderBy")
    if not raw_order:
        return None
    if raw_order.lstrip().startswith("{"):
        order_value = _json(raw_order, "orderBy")
    else:
        order_value = {"field": raw_order, "direction": params.get("direction", "ASC")}
    return _graphql_input(order_value, type_name, python_type, "orderBy")


def _selected_ids(params: Any, type_name: str, noun: str) -> list[int] | None:
    if params.get("ids") is None:
        return None
    given = [part.strip() for part in params["ids"].split(",") if part.strip()]
    if len(given) > MAX_SELECTED_IDS:
        raise BadRequest(
            f"At most {MAX_SELECTED_IDS} selected {noun}s; export a group or a filter",
            "TOO_MANY",
        )
    ids = []
    for global_id in given:
        parsed = from_global_id(global_id)
        if parsed is None or parsed[0] != type_name:
            raise BadRequest(f"`ids`: {global_id!r} is not the id of a {noun}")
        ids.append(parsed[1])
    return ids


def _filter(params: Any, type_name: str, python_type: type) -> Any:
    if not params.get("filter"):
        return None
    return _graphql_input(_json(params["filter"], "filter"), type_name, python_type, "filter")


def export_request(request: Request) -> ExportRequest:
    params = request.query_params
    return ExportRequest(
        spec=filter_spec(_filter(params, "ContactFilter", ContactFilter)),
        search=params.get("search") or None,
        keys=order_keys(_order(params, "ContactOrder", ContactOrder)),
        ids=_selected_ids(params, "Contact", "contact"),
    )


def company_export_request(request: Request) -> CompanyExportRequest:
    params = request.query_params
    order: CompanyOrder = _order(params, "CompanyOrder", CompanyOrder) or CompanyOrder()
    return CompanyExportRequest(
        spec=company_filter_spec(_filter(params, "CompanyFilter", CompanyFilter)),
        search=params.get("search") or None,
        keys=company_sort_keys(
            CompanySortField(order.field), order.direction == SortDirection.DESC
        ),
        ids=_selected_ids(params, "Company", "company"),
    )


def _disposition(extension: str, what: str = "contacts") -> dict[str, str]:
    day = datetime.now(UTC).strftime("%Y%m%d")
    return {
        "content-disposition": f'attachment; filename="{what}-{day}.{extension}"',
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
    }


async def _prepare(
    request: Request, parse: Callable[[Request], RequestT] = export_request, what: str = "contacts"
) -> RequestT | Response:
    refusal = await staff_or_refusal(request, f"export {what}")
    if isinstance(refusal, Response):
        return refusal
    try:
        return parse(request)
    except BadRequest as error:
        return error_response(str(error), error.code, error.status)


async def export_csv(request: Request) -> Response:
    prepared = await _prepare(request)
    if isinstance(prepared, Response):
        return prepared
    bom = request.query_params.get("bom") in ("1", "true", "yes")
    return StreamingResponse(
        csv_chunks(export_pages(prepared), bom=bom),
        media_type="text/csv; charset=utf-8",
        headers=_disposition("csv"),
    )


async def export_vcf(request: Request) -> Response:
    prepared = await _prepare(request)
    if isinstance(prepared, Response):
        return prepared
    return StreamingResponse(
        vcard_chunks(export_pages(prepared)),
        media_type="text/vcard; charset=utf-8",
        headers=_disposition("vcf"),
    )


async def _xlsx_chunks(
    pages: AsyncIterator[list[Any]], sheet: Sheet = CONTACTS_SHEET
) -> AsyncIterator[bytes]:
    """Rows go to openpyxl's on-disk sheet page by page; then the zip is streamed from disk."""
    writer = await asyncio.to_thread(XlsxWriter, sheet)
    try:
        async for records in pages:
            await asyncio.to_thread(writer.add, records)
        output: IO[bytes] = await asyncio.to_thread(writer.finish)
    finally:
        writer.discard()
    try:
        while chunk := await asyncio.to_thread(output.read, READ_CHUNK):
            yield chunk
    finally:
        output.close()


async def export_xlsx(request: Request) -> Response:
    prepared = await _prepare(request)
    if isinstance(prepared, Response):
        return prepared
    return StreamingResponse(
        _xlsx_chunks(export_pages(prepared)),
        media_type=XLSX_TYPE,
        headers=_disposition("xlsx"),
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def export_companies_csv(request: Request) -> Response:
    prepared = await _prepare(request, company_export_request, "companies")
    if isinstance(prepared, Response):
        return prepared
    bom = request.query_params.get("bom") in ("1", "true", "yes")
    return StreamingResponse(
        company_csv_chunks(company_pages(prepared), bom=bom),
        media_type="text/csv; charset=utf-8",
        headers=_disposition("csv", "companies"),
    )


async def export_companies_xlsx(request: Request) -> Response:
    prepared = await _prepare(request, company_export_request, "companies")
    if isinstance(prepared, Response):
        return prepared
    return StreamingResponse(
        _xlsx_chunks(company_pages(prepared), COMPANIES_SHEET),
        media_type=XLSX_TYPE,
        headers=_disposition("xlsx", "companies"),
    )


routes = [
    Route("/export/contacts.csv", export_csv, methods=["GET"]),
    Route("/export/contacts.xlsx", export_xlsx, methods=["GET"]),
    Route("/export/contacts.vcf", export_vcf, methods=["GET"]),
    Route("/export/companies.csv", export_companies_csv, methods=["GET"]),
    Route("/export/companies.xlsx", export_companies_xlsx, methods=["GET"]),
]
