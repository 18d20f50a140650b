"""easypaperless 0.7.1 against a Kinchart server: the same flow as pypaperless_flow.py through
an independent client (Paperless-ngx 2.x style: no API version asked, plain task lists).

easypaperless has no password login; the token comes from `POST /api/token/` as phone apps
get theirs (httpx, which easypaperless itself uses).

    python easypaperless_flow.py flow URL USERNAME PASSWORD PDF TITLE CREATED
    python easypaperless_flow.py refused URL TOKEN
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
from pathlib import Path

import httpx
from easypaperless import AuthenticationError, PaperlessClient


async def flow(url: str, username: str, password: str, pdf: Path, title: str, created: str) -> dict:
    seen: dict = {}
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{url}/api/token/", json={"username": username, "password": password})
        r.raise_for_status()
        token = r.json()["token"]
    seen["token"] = token
    async with PaperlessClient(url, token, poll_interval=0.5, poll_timeout=300) as paperless:
        seen["server_version"] = await paperless.server_version()
        settings = await paperless.ui_settings()
        seen["user"] = settings.user.username
        seen["permissions"] = settings.permissions
        status = await paperless.system_status()
        seen["status_database"] = status.database.status if status.database else None
        task_id = await paperless.documents.upload(pdf, title=title, created=created)
        seen["task_id"] = task_id
        task = await paperless.tasks.wait(task_id)
        seen["status"] = str(task.status)
        seen["related_document"] = task.related_document
        doc = await paperless.documents.get(int(task.related_document), include_metadata=True)
        seen["document"] = {
            "id": doc.id,
            "title": doc.title,
            "created": doc.created.isoformat() if doc.created else None,
            "original_file_name": doc.original_file_name,
            "content": doc.content,
            "document_type": doc.document_type,
            "tags": doc.tags,
            "original_checksum": doc.metadata.original_checksum if doc.metadata else None,
        }
        original = await paperless.documents.download(doc.id, original=True)
        seen["download_sha256"] = hashlib.sha256(original).hexdigest()
        thumb = await paperless.documents.thumbnail(doc.id)
        seen["thumbnail_bytes"] = len(thumb)
        listed = await paperless.documents.list(ordering="created", descending=True)
        seen["listed"] = [d.id for d in listed.results]
        seen["count"] = listed.count
        found = await paperless.documents.list(search="glucose")
        seen["search"] = [d.id for d in found.results]
        tasks = await paperless.tasks.list()
        seen["tasks"] = [t.task_id for t in tasks.results]
        seen["tags"] = [t.name for t in (await paperless.tags.list()).results]
    return seen


async def refused(url: str, token: str) -> dict:
    async with PaperlessClient(url, token) as paperless:
        try:
            await paperless.server_version()
        except AuthenticationError as exc:
            return {"refused": True, "error": type(exc).__name__}
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
