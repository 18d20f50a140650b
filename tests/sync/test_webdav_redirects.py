"""A hostile WebDAV server cannot send Kinchart to another address (issue 11, finding 7).

The real WsgiDAV server stands for an internal service; a tiny HTTP server on loopback, made
here, is the hostile source that redirects to it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from server.runtime import running
from server.settings import Settings, SettingsError, load_settings
from sync import addresses
from sync.webdav import RemoteEntry, Share, SyncError
from tests.fixtures.davserver import MOUNT, PASSWORD, USER, DavServer

pytestmark = pytest.mark.nodb
Answer = tuple[int, list[tuple[str, str]], bytes]
BODY = b"%PDF-1.4 the hostile server's own file"


def _listing(*names: str) -> bytes:
    files = "".join(
        f"<d:response><d:href>{MOUNT}/{name}</d:href><d:propstat><d:prop><d:resourcetype/>"
        f"<d:getcontentlength>{len(BODY)}</d:getcontentlength></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        for name in names
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:">'
        f"<d:response><d:href>{MOUNT}/</d:href><d:propstat><d:prop><d:resourcetype>"
        "<d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
        f"</d:propstat></d:response>{files}</d:multistatus>"
    ).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    def _any(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answer: Callable[[str, str], Answer] = self.server.answer  # type: ignore[attr-defined]
        status, headers, body = answer(self.command, self.path)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PROPFIND = do_HEAD = do_DELETE = do_MOVE = do_MKCOL = _any

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def tiny_server(answer: Callable[[str, str], Answer]) -> Iterator[str]:
    """An HTTP server on loopback that answers every request with `answer(method, path)`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.answer = answer  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def internal(tmp_path: Path) -> Iterator[DavServer]:
    folder = tmp_path / "internal"
    folder.mkdir()
    (folder / "secret.pdf").write_bytes(b"%PDF-1.4 internal only")
    server = DavServer(folder).start()
    yield server
    server.stop()


def test_a_listing_redirected_to_another_server_is_not_followed(internal: DavServer) -> None:
    def answer(method: str, path: str) -> Answer:
        return 307, [("Location", internal.url + "/")], b""

    with tiny_server(answer) as front:
        share = Share(front + MOUNT, USER, PASSWORD)
        with pytest.raises(SyncError):
            share.list_files()
        share.close()
    assert internal.requests == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_download_redirected_to_another_server_is_not_followed(
    internal: DavServer, tmp_path: Path, status: int
) -> None:
    def answer(method: str, path: str) -> Answer:
        if method == "PROPFIND":
            return 207, [("Content-Type", "application/xml")], _listing("report.pdf")
        return status, [("Location", internal.url + "/secret.pdf")], b""

    with tiny_server(answer) as front:
        share = Share(front + MOUNT, "someone", "pw")
        (entry,) = share.list_files().values()
        with pytest.raises(SyncError, match="another server"):
            share.download(entry, tmp_path / "got.pdf")
        share.close()
    assert internal.requests == []
    assert (
        not (tmp_path / "got.pdf").exists()
        or b"internal" not in (tmp_path / "got.pdf").read_bytes()
    )


def test_redirects_within_the_same_server_are_followed(tmp_path: Path) -> None:
    def answer(method: str, path: str) -> Answer:
        if method == "PROPFIND" and path == MOUNT:  # servers add the folder's slash
            return 301, [("Location", MOUNT + "/")], b""
        if method == "PROPFIND":
            return 207, [("Content-Type", "application/xml")], _listing("moved.pdf")
        if path == MOUNT + "/moved.pdf":
            return 302, [("Location", MOUNT + "/real.pdf")], b""
        return 200, [("Content-Type", "application/pdf")], BODY

    with tiny_server(answer) as front:
        share = Share(front + MOUNT, "someone", "pw")
        entry = share.list_files()["moved.pdf"]
        assert isinstance(entry, RemoteEntry)
        share.download(entry, tmp_path / "got.pdf")
        share.close()
    assert (tmp_path / "got.pdf").read_bytes() == BODY


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "not_webdav",
    [
        (405, [("Allow", "GET")], b"Method Not Allowed"),
        (404, [], b"Not Found"),
        (200, [("Content-Type", "text/html")], b"<html><body>router login</body></html>"),
        (500, [], b"oops"),
    ],
)
def test_closed_and_not_webdav_get_the_same_answer(not_webdav: Answer) -> None:
    """The add-source check must not work as a port probe of the LAN."""

    def answer(method: str, path: str) -> Answer:
        return not_webdav

    messages = []
    with tiny_server(answer) as http_service:
        closed = f"http://127.0.0.1:{_closed_port()}"
        for base in (http_service, closed):
            share = Share(base + "/dav", USER, PASSWORD, timeout=5)
            with pytest.raises(SyncError) as err:
                share.list_files()
            share.close()
            messages.append(err.value.user_message.replace(base.split("//")[1], "HOST"))
    assert messages[0] == messages[1]


def test_link_local_addresses_are_refused_before_connecting() -> None:
    """The cloud metadata service and other link-local targets need `any`."""
    for url in ("http://169.254.169.254/latest/meta-data", "http://[fe80::1]:8080/dav"):
        share = Share(url, "", "", timeout=5)
        started = time.monotonic()
        with pytest.raises(SyncError, match="link-local") as err:
            share.list_files()
        share.close()
        assert time.monotonic() - started < 1, "refused without trying to connect"
        assert "KINCHART_WEBDAV_ADDRESSES" in err.value.user_message


def test_lan_and_this_machine_only_when_allowed(dav: DavServer) -> None:
    public = Share(dav.url, USER, PASSWORD, addresses="public")
    with pytest.raises(SyncError, match="this machine"):
        public.list_files()
    public.close()
    assert dav.requests == []
    lan = Share(dav.url, USER, PASSWORD)  # the default: NAS servers live on the LAN
    assert lan.list_files() == {}
    lan.close()
    assert dav.requests


async def test_the_setting_applies_to_every_share_of_the_process(
    settings: Settings, dav: DavServer
) -> None:
    strict = dataclasses.replace(settings, webdav_addresses="public")
    try:
        async with running(strict):
            share = Share(dav.url, USER, PASSWORD)  # as the add-source check builds it
            with pytest.raises(SyncError, match="KINCHART_WEBDAV_ADDRESSES=public"):
                share.list_files()
            share.close()
        assert dav.requests == []
    finally:
        addresses.set_default("lan")
    with pytest.raises(SettingsError, match="lan, public, any"):
        load_settings(environ={"KINCHART_WEBDAV_ADDRESSES": "everything"}, env_file=None)
