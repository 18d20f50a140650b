"""A WebDAV folder through webdav4: recursive listing, checked downloads, clean-up, plain errors."""

from __future__ import annotations

import contextlib
import logging
import posixpath
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NoReturn
from urllib.parse import quote, urlsplit
from xml.etree.ElementTree import ParseError

import httpx
from webdav4.client import Client, ClientError, HTTPError, ResourceAlreadyExists, ResourceNotFound
from webdav4.multistatus import MultiStatusResponseError
from webdav4.urls import strip_trailing_slash

from sync import addresses as net
from sync.rules import is_ignored

CHUNK = 1024 * 1024
log = logging.getLogger(__name__)
# httpx logs every request at INFO: each poll and download of every source would fill the log.
logging.getLogger("httpx").setLevel(logging.WARNING)
# Only what the puller needs: an allprop listing makes some servers compute much more per file.
PROPS = (
    '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
    "<d:resourcetype/><d:getcontentlength/><d:getetag/><d:getlastmodified/>"
    "</d:prop></d:propfind>"
)


class SyncError(Exception):
    """Pulling from a source failed; `user_message` says why in words a person understands."""

    def __init__(self, user_message: str, *, unreachable: bool = False) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.unreachable = unreachable


class Gone(SyncError):
    """The remote file disappeared (renamed or deleted) since it was listed."""


class Changed(SyncError):
    """The remote file changed since it was listed; it is looked at again later."""


class _OtherOrigin(Exception):
    """The server sent a request to another scheme, host or port (a redirect); not followed."""


@dataclass(frozen=True)
class RemoteEntry:
    """One remote file: `rel` below the source folder, `path` below the server URL."""

    rel: str
    path: str
    size: int
    etag: str
    modified: float

    @property
    def name(self) -> str:
        return posixpath.basename(self.rel)


@dataclass(frozen=True)
class After:
    """What becomes of a remote file once Kinchart holds it: delete, keep or move."""

    kind: str
    target: str = ""

    @classmethod
    def parse(cls, raw: str) -> After:
        raw = raw.strip()
        if raw in ("delete", "keep"):
            return cls(raw)
        if raw.startswith("move:") and raw[5:].strip().strip("/"):
            return cls("move", normalize_folder(raw[5:]))
        raise SyncError("After import, a file is deleted, kept, or moved (move:FOLDER).")

    def __str__(self) -> str:
        return f"move:{self.target}" if self.kind == "move" else self.kind


def normalize_folder(path: str) -> str:
    """`Scans/`, `/Scans` and `Scans` all become `/Scans`; the root is `/`."""
    clean = posixpath.normpath("/" + path.strip().strip("/"))
    return "/" if clean in ("/", "//", ".") else clean


class Share:
    """One WebDAV folder; blocking calls, meant to run in a worker thread.

    Every request stays on the origin (scheme, host, port) of `url`: a redirect elsewhere is
    refused, so a hostile server cannot make Kinchart fetch an internal address; and it
    connects only to the kinds of address `addresses` allows (see `sync.addresses`). Unless
    `detailed`, a failed listing says the same whether nothing listens there or something
    that is not WebDAV does, so checking an address does not probe the network; a source
    already added (`detailed`) says which it was.
    """

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        remote_path: str = "/",
        *,
        skip: str = "",
        timeout: float = 30.0,
        detailed: bool = False,
        addresses: str | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.host = urlsplit(url).netloc or url
        self.root = normalize_folder(remote_path)
        self.skip = normalize_folder(skip) if skip else ""
        self.detailed = detailed
        self._origin = _origin(httpx.URL(self.url))
        auth = (username, password) if username else None
        self.client = Client(
            self.url,
            auth=auth,
            retry=False,
            timeout=timeout,
            event_hooks={"request": [self._same_origin]},
            transport=net.transport(addresses or net.default()),
        )

    def _same_origin(self, request: httpx.Request) -> None:
        # Runs for every request httpx sends, redirects included, before it connects.
        if _origin(request.url) != self._origin:
            log.warning(
                "WebDAV server %s redirected to %s://%s; not followed",
                self.host,
                request.url.scheme,
                request.url.netloc.decode(errors="replace"),
            )
            raise _OtherOrigin(str(request.url))
        self._made: set[str] = set()
        self._making = threading.Lock()

    def close(self) -> None:
        self.client.http.close()

    def list_files(self) -> dict[str, RemoteEntry]:
        """Every file below the folder, by relative path, walking sub-folders one level a time."""
        files: dict[str, RemoteEntry] = {}
        folders = [self.root]
        first = True
        while folders:
            folder = folders.pop()
            try:
                with self._errors(
                    f"listing {folder}", folder=folder if first else "", listing=True
                ):
                    result = self.client.propfind(
                        _q(folder),
                        data=PROPS,
                        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
                        follow_redirects=True,
                    )
            except Gone:
                continue  # a sub-folder removed while the walk was under way
            first = False
            here = strip_trailing_slash(self.client.join_url(_q(folder)).path)
            for response in result.responses.values():
                if response.path_norm == here:
                    continue
                path = "/" + response.path_relative_to(self.client.base_url).strip("/")
                rel = posixpath.relpath(path, self.root)
                props = response.properties
                if props.collection:
                    if path != self.skip and not is_ignored(PurePosixPath(rel, "x")):
                        folders.append(path)
                    continue
                if is_ignored(PurePosixPath(rel)) or not props.content_length:
                    continue  # temporary names, and empty placeholders still being written
                modified = props.modified.timestamp() if props.modified else 0.0
                etag = (props.etag or "")[:255]
                files[rel] = RemoteEntry(rel, path, props.content_length, etag, modified)
        return files

    def download(self, entry: RemoteEntry, dest: Path) -> None:
        """Stream the file to `dest`; raise unless exactly the listed version arrived whole."""
        size = 0
        with self._errors(f"downloading {entry.rel}"), open(dest, "wb") as out:
            url = self.client.join_url(_q(entry.path))
            with self.client.http.stream("GET", url, follow_redirects=True) as response:
                if response.status_code == 404:
                    raise Gone(f"{entry.rel} was renamed or deleted on the server.")
                response.raise_for_status()
                etag = response.headers.get("etag")
                if etag and entry.etag and _bare(etag) != _bare(entry.etag):
                    raise Changed(f"{entry.rel} changed on the server while being fetched.")
                for chunk in response.iter_bytes(CHUNK):
                    size += len(chunk)
                    out.write(chunk)
        if size != entry.size:
            raise Changed(
                f"{entry.rel} arrived with {size} of {entry.size} bytes; it is fetched again later."
            )

    def remove(self, entry: RemoteEntry) -> None:
        """Delete the remote file, unless it changed since it was taken."""
        with self._errors(f"deleting {entry.rel}"), _gone_is_fine():
            self._request("DELETE", entry.path, _if_match(entry.etag))

    def move(self, entry: RemoteEntry, folder: str) -> str:
        """Move the remote file under `folder`, keeping its sub-folders; returns where it went."""
        target_dir = posixpath.join(folder, posixpath.dirname(entry.rel))
        with self._errors(f"moving {entry.rel} to {folder}"):
            self._makedirs(target_dir)
            stem, ext = posixpath.splitext(entry.name)
            for n in range(1, 100):
                name = entry.name if n == 1 else f"{stem} ({n}){ext}"
                target = posixpath.join(target_dir, name)
                headers = {
                    "Destination": str(self.client.join_url(_q(target))),
                    "Overwrite": "F",
                    **_if_match(entry.etag),
                }
                try:
                    self._request("MOVE", entry.path, headers)
                    return target
                except ResourceNotFound:
                    return ""  # moved or deleted by someone else meanwhile
                except HTTPError as exc:
                    if exc.status_code != 412:
                        raise
                    # 412 is both "the target exists" (Overwrite: F) and "the source changed".
                    if not self._exists(target):
                        raise Changed(_CHANGED) from None
            raise SyncError(f"Too many files named like {entry.name} in {target_dir}.")

    def _request(self, method: str, path: str, headers: dict[str, str]) -> None:
        self.client.request(method, _q(path), headers=headers)

    def _exists(self, path: str) -> bool:
        try:
            self.client.propfind(_q(path), headers={"Depth": "0"})
        except ResourceNotFound:
            return False
        return True

    def _makedirs(self, folder: str) -> None:
        parts = [p for p in folder.split("/") if p]
        # One at a time: moves run in several threads, and two MKCOLs of one folder at once
        # make some servers (WsgiDAV) answer 500 instead of 405.
        with self._making:
            for i in range(1, len(parts) + 1):
                path = "/" + "/".join(parts[:i])
                if path in self._made:
                    continue
                with contextlib.suppress(ResourceAlreadyExists):
                    self.client.mkdir(_q(path))
                self._made.add(path)

    @contextlib.contextmanager
    def _errors(self, doing: str, *, folder: str = "", listing: bool = False) -> Iterator[None]:
        """Translate network and WebDAV errors into messages a person can act on."""
        try:
            with self._uniform(folder if listing and not self.detailed else None):
                yield
        except SyncError:
            raise
        except net.AddressRefused as exc:
            raise SyncError(
                f"{self.host} is at {exc.address}, {exc.kind}, which WebDAV sources may not "
                f"use here (KINCHART_WEBDAV_ADDRESSES={exc.policy})."
            ) from None
        except _OtherOrigin:
            raise SyncError(
                f"{self.host} sent Kinchart to another server while {doing}; Kinchart only "
                "talks to the address entered. Enter the address the files really are at."
            ) from None
        except ResourceNotFound:
            if folder:
                raise SyncError(f"The folder {folder} does not exist on {self.host}.") from None
            raise Gone(f"Not found on the server while {doing}.") from None
        except HTTPError as exc:
            raise SyncError(self._http_message(exc.status_code, doing)) from None
        except httpx.HTTPStatusError as exc:
            raise SyncError(self._http_message(exc.response.status_code, doing)) from None
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
                message = f"The HTTPS certificate of {self.host} was not accepted."
            else:
                message = f"Cannot reach {self.host}: the server is down or the address is wrong."
            raise SyncError(message, unreachable=True) from None
        except httpx.TimeoutException:
            raise SyncError(f"{self.host} did not answer in time.", unreachable=True) from None
        except (httpx.TransportError, httpx.StreamError):
            raise SyncError(
                f"The connection to {self.host} broke off while {doing}; it is tried again later.",
                unreachable=True,
            ) from None
        except (ParseError, MultiStatusResponseError, ClientError, ValueError, AssertionError):
            raise SyncError(
                f"{self.host} gave an answer that is not a WebDAV folder listing while {doing}; "
                "check the address."
            ) from None

    @contextlib.contextmanager
    def _uniform(self, folder: str | None) -> Iterator[None]:
        """While checking a folder, one answer for every way of not finding WebDAV there."""
        if folder is None:
            yield
            return
        try:
            yield
        except (HTTPError, httpx.HTTPStatusError) as exc:
            status = exc.status_code if isinstance(exc, HTTPError) else exc.response.status_code
            if status in (401, 403):
                raise  # a WebDAV server refusing this user: the usual mistake, said plainly
            self._not_found(folder, exc)
        except (
            ResourceNotFound,
            _OtherOrigin,
            httpx.TransportError,
            httpx.StreamError,
            ParseError,
            MultiStatusResponseError,
            ClientError,
            ValueError,
            AssertionError,
        ) as exc:
            self._not_found(folder, exc)

    def _not_found(self, folder: str, exc: BaseException) -> NoReturn:
        log.info("no WebDAV folder %s at %s: %r", folder or "/", self.url, exc)
        unreachable = isinstance(exc, httpx.TransportError)
        raise SyncError(
            f"Found no WebDAV folder {folder or '/'} at {self.url}: the server may be down, "
            "the address or folder may be wrong, or it is not a WebDAV server.",
            unreachable=unreachable,
        ) from None

    def _http_message(self, status: int, doing: str) -> str:
        if status == 401:
            return f"{self.host} refused the user name or password (wrong password?)."
        if status == 403:
            return f"{self.host} does not allow this user to do that ({doing})."
        if status in (405, 501):
            return f"{self.url} does not look like a WebDAV folder; check the address."
        if status == 507:
            return f"{self.host} is out of space."
        if status == 423:
            return f"The file is locked on {self.host} ({doing}); it is tried again later."
        return f"{self.host} answered with error {status} while {doing}."


_CHANGED = "The file changed on the server after it was taken in; it was left there."


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host.lower(), url.port or default)


def _q(path: str) -> str:
    # Fully percent-encoded: httpx keeps valid escapes, so `#`, `?` and `%` in names survive.
    return quote(path, safe="/")


def _bare(etag: str) -> str:
    return etag.removeprefix("W/").strip('"')


def _if_match(etag: str) -> dict[str, str]:
    # Never delete or move a newer version than the one taken in: the server checks the ETag.
    if not etag or etag.startswith("W/"):
        return {}
    return {"If-Match": etag if etag.startswith('"') else f'"{etag}"'}


@contextlib.contextmanager
def _gone_is_fine() -> Iterator[None]:
    try:
        yield
    except ResourceNotFound:
        pass
    except HTTPError as exc:
        if exc.status_code != 412:
            raise
        raise Changed(_CHANGED) from None
