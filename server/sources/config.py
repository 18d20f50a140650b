"""Sync sources: their stored settings (password encrypted) and what each remembers taking."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from server.db.tables import Profile, RemoteFile, SyncSource
from server.errors import BadInput
from server.sources.vault import Vault
from sync.pull import Version
from sync.webdav import After, RemoteEntry, Share, SyncError, normalize_folder

MIN_INTERVAL = 10
LIST_COLUMNS = (
    SyncSource.id,
    SyncSource.kind,
    SyncSource.url,
    SyncSource.username,
    SyncSource.remote_path,
    SyncSource.by_subfolder,
    SyncSource.after,
    SyncSource.interval_seconds,
    SyncSource.enabled,
    SyncSource.last_run,
    SyncSource.last_taken,
    SyncSource.total_taken,
    SyncSource.last_error,
    SyncSource.profile.slug.as_alias("profile_slug"),
)


class SourceError(BadInput):
    """A sync source cannot be added as given; the message says why."""


@dataclass(frozen=True)
class NewSource:
    """What an admin fills in to add a WebDAV source."""

    url: str
    username: str
    password: str
    remote_path: str = "/"
    profile_slug: str = ""
    by_subfolder: bool = False
    after: str = "delete"
    interval_seconds: int = 300


async def check_source(new: NewSource) -> tuple[str, int | None, After]:
    """Validate; returns the clean URL, the profile id and the after-import policy."""
    url = new.url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError("The address must start with https:// (or http://) and name a server.")
    if parts.username or parts.password:
        raise SourceError("Put the user name and password in their own fields, not the address.")
    if parts.query or parts.fragment:
        raise SourceError("The address cannot contain ? or #.")
    if new.username and not new.password:
        raise SourceError("Enter the password for this user.")
    if new.profile_slug and new.by_subfolder:
        raise SourceError("Choose either one profile or by-subfolder, not both.")
    if new.interval_seconds < MIN_INTERVAL:
        raise SourceError(f"Check at most every {MIN_INTERVAL} seconds.")
    try:
        after = After.parse(new.after)
    except SyncError as exc:
        raise SourceError(exc.user_message) from None
    # A target inside the watched folder is fine (it is not listed); the folder itself is not.
    if after.kind == "move" and after.target == normalize_folder(new.remote_path):
        raise SourceError("Move imported files to a folder other than the one watched.")
    profile_id = None
    if new.profile_slug:
        row = await Profile.select(Profile.id).where(Profile.slug == new.profile_slug).first()
        if row is None:
            raise SourceError(f"There is no profile {new.profile_slug!r}.")
        profile_id = row["id"]
    return url.rstrip("/"), profile_id, after


async def add_source(new: NewSource, vault: Vault) -> dict[str, Any]:
    url, profile_id, after = await check_source(new)
    rows = await SyncSource.insert(
        SyncSource(
            kind="webdav",
            url=url,
            username=new.username.strip(),
            password_encrypted=vault.encrypt(new.password) if new.password else "",
            remote_path=normalize_folder(new.remote_path),
            profile=profile_id,
            by_subfolder=new.by_subfolder,
            after=str(after),
            interval_seconds=new.interval_seconds,
        )
    ).returning(*LIST_COLUMNS[:-1])
    return rows[0]


async def list_sources() -> list[dict[str, Any]]:
    """Every source, never with its password."""
    return list(await SyncSource.select(*LIST_COLUMNS).order_by(SyncSource.id))


async def source_exists(source_id: int) -> bool:
    return bool(await SyncSource.exists().where(SyncSource.id == source_id))


async def remove_source(source_id: int) -> bool:
    rows = await SyncSource.delete().where(SyncSource.id == source_id).returning(SyncSource.id)
    return bool(rows)


def share_for(row: dict[str, Any], vault: Vault, *, timeout: float = 30.0) -> Share:
    """A client for the source; a move target inside the watched folder is not listed."""
    password = vault.decrypt(row["password_encrypted"]) if row["password_encrypted"] else ""
    after = After.parse(row["after"])
    skip = after.target if after.kind == "move" else ""
    # An added source passed the check: its errors may say what exactly went wrong.
    return Share(
        row["url"],
        row["username"],
        password,
        row["remote_path"],
        skip=skip,
        timeout=timeout,
        detailed=True,
    )


def version_key(source_id: int, version: Version) -> str:
    path, etag, size = version
    return hashlib.sha256(f"{source_id}\n{path}\n{etag}\n{size}".encode()).hexdigest()


class Ledger:
    """The database memory of one source: which (path, ETag, size) versions it has seen through."""

    def __init__(self, source_id: int) -> None:
        self.source_id = source_id

    async def known(self) -> dict[Version, str]:
        rows = await RemoteFile.select(
            RemoteFile.remote_path, RemoteFile.etag, RemoteFile.size, RemoteFile.state
        ).where(RemoteFile.source == self.source_id)
        return {(r["remote_path"], r["etag"], r["size"]): r["state"] for r in rows}

    async def remember(
        self, entry: RemoteEntry, state: str, document_id: int | None, reason: str = ""
    ) -> None:
        await self.remember_many([(entry, document_id)], state, reason)

    async def remember_many(
        self, entries: list[tuple[RemoteEntry, int | None]], state: str, reason: str = ""
    ) -> None:
        """Record versions in one statement (one commit); rows already there are updated."""
        if not entries:
            return
        rows = [self._row(entry, state, document_id, reason) for entry, document_id in entries]
        try:
            await RemoteFile.insert(*rows)
            return
        except Exception as exc:  # a version recorded before (unique key): update one by one
            if "unique" not in str(exc).lower():
                raise
        for row in rows:
            values: dict[Any, Any] = {RemoteFile.state: state, RemoteFile.reason: reason}
            if row.document is not None:
                values[RemoteFile.document] = row.document
            updated = (
                await RemoteFile.update(values)
                .where(RemoteFile.key == row.key)
                .returning(RemoteFile.id)
            )
            if not updated:
                await RemoteFile.insert(row)

    def _row(
        self, entry: RemoteEntry, state: str, document_id: int | None, reason: str
    ) -> RemoteFile:
        return RemoteFile(
            key=version_key(self.source_id, (entry.path, entry.etag, entry.size)),
            source=self.source_id,
            remote_path=entry.path,
            etag=entry.etag,
            size=entry.size,
            modified=entry.modified,
            state=state,
            document=document_id,
            reason=reason,
        )

    async def forget_absent(self, present: set[Version]) -> None:
        known = await self.known()
        gone = [version_key(self.source_id, v) for v in known if v not in present]
        for i in range(0, len(gone), 500):
            await RemoteFile.delete().where(RemoteFile.key.is_in(gone[i : i + 500]))


async def files_there(url: str, new: NewSource, *, timeout: float = 15.0) -> int:
    """How many files the source's folder holds now, so a wrong password or address shows at
    once (a `SourceError`). A server that does not answer is one more wrong address: telling
    it apart, even by exit code, would let checking an address probe the network (`Share`)."""
    share = Share(url, new.username, new.password, new.remote_path, timeout=timeout)
    try:
        return len(await asyncio.to_thread(share.list_files))
    except SyncError as exc:
        raise SourceError(exc.user_message) from exc
    finally:
        share.close()
