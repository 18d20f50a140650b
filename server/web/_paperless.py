"""How Paperless-ngx's API looks (server/web/paperless.py answers with it): the API version a
client asks for, pages, tasks, documents, document types, and the document list's filters."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from server.documents import paperless
from server.web._upload import ApiError

X_VERSION = "3.0.0"  # the Paperless-ngx release whose API (version 10) this answers
API_VERSION = 10
DEFAULT_VERSION = 9  # without a version in Accept: what Paperless-ngx 2.x clients expect
TYPE_NAMES = {number: kind for kind, number in paperless.TYPE_IDS.items()}
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
ORDERINGS = ("id", "title", "created", "added", "modified", "original_file_name", "page_count")


def version_of(request: Request) -> int:
    """The API version asked for in Accept (`application/json; version=N`), as Paperless."""
    for part in request.headers.get("accept", "").split(","):
        for param in part.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "version":
                value = value.strip().strip('"')
                if value.isdigit() and 1 <= int(value) <= API_VERSION:
                    return int(value)
                raise ApiError(406, "not_acceptable", 'Invalid version in "Accept" header.')
    return DEFAULT_VERSION


def iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date | datetime) else None


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ApiError(400, "bad_input", f"`{name}` is a positive whole number.")
    return int(raw)


def page_of(request: Request, items: list[Any], ids: list[int] | None = None) -> dict[str, Any]:
    """A page of `items` as Paperless pages its lists (count, next, previous, all, results)."""
    size = min(_int_param(request, "page_size", PAGE_SIZE), MAX_PAGE_SIZE)
    page = _int_param(request, "page", 1)
    if page > 1 and (page - 1) * size >= len(items):
        raise ApiError(404, "not_found", "Invalid page.")

    def link(n: int) -> str:
        query = {**request.query_params, "page": str(n)}
        return str(request.url.replace(query=urlencode(query)))

    return {
        "count": len(items),
        "next": link(page + 1) if page * size < len(items) else None,
        "previous": link(page - 1) if page > 1 else None,
        "all": ids if ids is not None else [i.get("id") for i in items],
        "results": items[(page - 1) * size : page * size],
    }


_STATES = {"queued": "PENDING", "processing": "STARTED", "ready": "SUCCESS", "failed": "FAILURE"}


def task_json(row: dict[str, Any], version: int) -> dict[str, Any]:
    status = _STATES.get(row["state"], "FAILURE") if row["document"] else "FAILURE"
    doc_id = row["document"]
    if status == "SUCCESS":
        result = f"Success. New document id {doc_id} created"
    elif status == "FAILURE":
        result = f"{row['file_name']}: {row['failure_reason'] or row['result']}"
    else:
        result = None
    done = iso(row["updated_at"]) if status in ("SUCCESS", "FAILURE") else None
    related = doc_id if status == "SUCCESS" else None
    if version < 10:
        return {
            "id": row["id"],
            "task_id": row["task_id"],
            "task_name": "consume_file",
            "task_file_name": row["file_name"],
            "date_created": iso(row["created_at"]),
            "date_done": done,
            "type": "auto_task",
            "status": status,
            "result": result,
            "acknowledged": row["acknowledged"],
            "related_document": str(related) if related else None,
            "owner": None,
        }
    return {
        "id": row["id"],
        "task_id": row["task_id"],
        "task_type": "consume_file",
        "task_type_display": "Consume File",
        "trigger_source": "api_upload",
        "trigger_source_display": "API Upload",
        "status": status.lower(),
        "status_display": status.title(),
        "date_created": iso(row["created_at"]),
        "date_started": None,
        "date_done": done,
        "input_data": {"filename": row["file_name"]},
        "result_data": {"document_id": related} if related else {"error": result},
        "related_document_ids": [related] if related else [],
        "acknowledged": row["acknowledged"],
        "owner": None,
    }


def document_json(row: dict[str, Any], content: str | None) -> dict[str, Any]:
    created = iso(row["created"])
    archived = os.path.splitext(row["original_name"])[0] + ".pdf" if row["has_pdf"] else None
    return {
        "id": row["id"],
        "correspondent": None,
        "document_type": paperless.TYPE_IDS.get(row["doc_type"]),
        "storage_path": None,
        "title": row["title"],
        "content": content,
        "tags": [],
        "created": created,
        "created_date": created,
        "modified": iso(row["updated_at"]),
        "added": iso(row["created_at"]),
        "deleted_at": None,
        "archive_serial_number": None,
        "original_file_name": row["original_name"],
        "archived_file_name": archived,
        "owner": None,
        "user_can_change": False,
        "is_shared_by_requester": False,
        "notes": [],
        "custom_fields": [],
        "page_count": row["page_count"],
        "mime_type": row["mime"],
        "duplicate_documents": [],
    }


def sort_key(field: str) -> Callable[[dict[str, Any]], Any]:
    column = {
        "added": "created_at",
        "modified": "updated_at",
        "original_file_name": "original_name",
    }.get(field, field)
    if field in ("title", "original_file_name"):
        return lambda r: (str(r[column]).lower(), r["id"])
    return lambda r: (r[column], r["id"])


# Parameters that change how a page looks, not which documents are on it.
PAGING = {"page", "page_size", "ordering", "query", "truncate_content", "fields", "full_perms"}


def _ids(raw: str, name: str) -> set[int]:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ApiError(400, "bad_input", f"`{name}` is a comma-separated list of ids.")
    return {int(p) for p in parts}


async def filtered(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the filters Kinchart knows keep; any other filter is refused (400) rather than
    ignored, so a client never takes every document for the ones it asked for."""
    texts: dict[int, str] | None = None
    for name, value in request.query_params.items():
        if name in PAGING:
            continue
        needle = value.lower()
        if name in ("search", "title_content", "content__icontains"):
            if texts is None:
                texts = await paperless.contents([r["id"] for r in rows])
            in_title = name != "content__icontains"
            rows = [
                r
                for r in rows
                if needle in texts[r["id"]].lower() or (in_title and needle in r["title"].lower())
            ]
        elif name == "title__icontains":
            rows = [r for r in rows if needle in r["title"].lower()]
        elif name == "original_filename__icontains":
            rows = [r for r in rows if needle in r["original_name"].lower()]
        elif name in ("id", "id__in"):
            wanted = _ids(value, name)
            rows = [r for r in rows if r["id"] in wanted]
        elif name in ("document_type__id", "document_type__id__in"):
            kinds = {TYPE_NAMES.get(i) for i in _ids(value, name)}
            rows = [r for r in rows if r["doc_type"] in kinds]
        else:
            detail = f"Kinchart does not filter documents by `{name}` (README: Paperless-ngx apps)."
            raise ApiError(400, "unsupported_filter", detail)
    return rows


def type_json(number: int, count: int) -> dict[str, Any]:
    name = TYPE_NAMES[number]
    return {
        "id": number,
        "slug": name.replace(" ", "-"),
        "name": name.capitalize(),
        "match": "",
        "matching_algorithm": 0,
        "is_insensitive": True,
        "document_count": count,
        "owner": None,
        "user_can_change": False,
    }
