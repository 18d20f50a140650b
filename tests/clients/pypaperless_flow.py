"""pypaperless 6.0.2 (Home Assistant's Paperless client) against a Kinchart server.

Run by tests/server/web/test_paperless_clients.py with tests/clients' own Python 3.13
environment; prints what the client saw as one JSON object, for the test to judge.

    python pypaperless_flow.py flow URL USERNAME PASSWORD PDF TITLE CREATED
    python pypaperless_flow.py refused URL TOKEN
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import json
import sys
from pathlib import Path

from pypaperless import PaperlessClient
from pypaperless.exceptions import InitializationError
from pypaperless.models.tasks import TaskStatus
from pypaperless.transport import generate_api_token

DONE = (TaskStatus.SUCCESS, TaskStatus.FAILURE, TaskStatus.REVOKED)


async def flow(url: str, username: str, password: str, pdf: Path, title: str, created: str) -> dict:
    seen: dict = {}
    token = await generate_api_token(url, username, password)
    seen["token"] = token
    async with PaperlessClient(url, token) as paperless:
        seen["host_version"] = paperless.host_version
        seen["host_api_version"] = paperless.host_api_version
        draft = paperless.documents.create(
            document=pdf.read_bytes(),
            filename=pdf.name,
            title=title,
            created=datetime.datetime.fromisoformat(created),
        )
        task_id = await paperless.save(draft)
        seen["task_id"] = task_id
        statuses = []
        for _ in range(600):  # up to 5 minutes: the server reads the PDF with OCRmyPDF
            task = await paperless.tasks(task_id)
            if not statuses or statuses[-1] != task.status:
                statuses.append(task.status)
            if task.status in DONE:
                break
            await asyncio.sleep(0.5)
        seen["statuses"] = [str(s) for s in statuses]
        seen["related_document_ids"] = task.related_document_ids
        doc_id = task.related_document_ids[0]
        doc = await paperless.documents(doc_id)
        seen["document"] = {
            "id": doc.id,
            "title": doc.title,
            "created": doc.created.isoformat() if doc.created else None,
            "original_file_name": doc.original_file_name,
            "page_count": doc.page_count,
            "content": doc.content,
            "tags": doc.tags,
        }
        meta = await paperless.documents.metadata(doc_id)
        seen["metadata"] = {
            "original_checksum": meta.original_checksum,
            "original_size": meta.original_size,
            "original_mime_type": meta.original_mime_type,
        }
        original = await paperless.documents.download(doc_id, original=True)
        seen["download_sha256"] = hashlib.sha256(original.content).hexdigest()
        seen["download_filename"] = original.disposition_filename
        archived = await paperless.documents.download(doc_id)
        seen["archive_starts"] = archived.content[:5].decode("latin-1")
        seen["listed"] = [d.id async for d in paperless.documents]
        seen["document_types"] = [t.name async for t in paperless.document_types]
        seen["tags"] = [t.name async for t in paperless.tags]
    return seen


async def refused(url: str, token: str) -> dict:
    paperless = PaperlessClient(url, token)
    try:
        await paperless.initialize()
    except InitializationError as exc:
        return {"refused": True, "error": type(exc).__name__}
    finally:
        await paperless.close()
    return {"refused": False}


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "flow":
        url, username, password, pdf, title, created = args
        result = asyncio.run(flow(url, username, password, Path(pdf), title, created))
    else:
        result = asyncio.run(refused(*args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
