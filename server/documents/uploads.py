"""Saving an upload (the web form and the API): streamed to the data folder, then taken in."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from ocr.detect import detect
from ocr.errors import ReadError
from server.access import audit
from server.access.policy import AccessDenied, Caller
from server.access.scope import seen_document
from server.documents.intake import Intake

CHUNK = 1024 * 1024
Problem = Literal["", "too_large", "empty", "unsupported"]


class Upload(Protocol):
    """An uploaded file as the web framework hands it over (Starlette's `UploadFile`)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Saved:
    """What became of one uploaded file, as the uploader may learn it."""

    name: str
    outcome: Literal["new", "duplicate", "rejected"]
    reason: str = ""
    problem: Problem = ""  # why it was refused before the intake saw it
    transient: bool = False  # the refusal may pass (the disk was full): try again later
    document_id: int | None = None  # None when the caller may not see the document
    state: str | None = None


async def save_upload(
    caller: Caller,
    intake: Intake,
    item: Upload,
    profile_id: int | None,
    *,
    source: str,
    refuse_unreadable: bool = False,
    request: Any = None,
) -> Saved:
    """Stream `item` to a temporary file and take it in under `profile_id`.

    `profile_id` comes from `access.scope.upload_target`, checked again here. With
    `refuse_unreadable` (apps, which show the answer to the person scanning) an empty file or
    one of an unknown type is refused at once; the web form lets the intake and the reader
    judge, so the document page says what went wrong. Every file taken in is audited
    (`document_uploaded`, with the `request`'s address when given).
    """
    if not caller.may("upload", profile_id) and not (profile_id is None and caller.is_admin):
        raise AccessDenied("You cannot add documents to that profile.", 403)
    name = item.filename or "upload"
    limit = intake.max_bytes
    tmp = intake.store.tmp / f"{source}-{uuid.uuid4().hex}"
    try:
        size = await _save(item, tmp, limit)
        if size > limit:
            reason = f"Larger than {limit // 1048576} MB."
            return Saved(name, "rejected", reason, problem="too_large")
        if refuse_unreadable:
            if size == 0:
                return Saved(name, "rejected", "The file is empty (0 bytes).", problem="empty")
            try:
                await asyncio.to_thread(detect, tmp)
            except ReadError as exc:
                return Saved(name, "rejected", exc.user_message, problem="unsupported")
        result = await intake.take(tmp, source=source, original_name=name, profile_id=profile_id)
    finally:
        tmp.unlink(missing_ok=True)
    seen = await seen_document(caller, result.document_id)
    await audit.record(
        "document_uploaded",
        caller=caller,
        request=request,
        profile=profile_id,
        document=result.document_id,
        name=name[:200],
        source=source,
        outcome=result.outcome,
    )
    return Saved(
        name,
        result.outcome,
        result.reason,
        transient=result.transient,
        document_id=seen["id"] if seen else None,
        state=seen["state"] if seen else None,
    )


async def _save(item: Upload, dest: Path, limit: int) -> int:
    """Bytes written; stops (at `limit` + 1 or more) as soon as the file is too large."""
    size = 0
    with open(dest, "wb") as out:
        while chunk := await item.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    return size
