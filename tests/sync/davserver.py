"""A real WsgiDAV server (cheroot, in a thread) on 127.0.0.1 with basic auth over a temp folder."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER = "scanner"
PASSWORD = "webdav-secret-9"
MOUNT = "/dav"  # served below a path, like Nextcloud's /remote.php/dav/files/USER


class DavServer:
    """Start, stop and start again on the same port; optionally cut one download short."""

    def __init__(self, root: Path, port: int = 0) -> None:
        self.root = root
        self.port = port
        self.gets = 0
        # Cut the download of this path (below MOUNT) after this many bytes, once.
        self.cut_path = ""
        self.cut_after = 0
        self.refuse: set[str] = set()  # methods answered with 503, e.g. {"DELETE"}
        self.paused = threading.Event()
        self.release = threading.Event()
        self._server: wsgi.Server | None = None
        self._thread: threading.Thread | None = None
        self._dav = WsgiDAVApp(
            {
                "provider_mapping": {MOUNT: str(root)},
                "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
                "http_authenticator": {
                    "domain_controller": None,
                    "accept_basic": True,
                    "accept_digest": False,
                    "default_to_digest": False,
                },
                "verbose": 0,
                "logging": {"enable": False},
                "dir_browser": {"enable": False},
            }
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{MOUNT}"

    def start(self) -> DavServer:
        if not self.port:
            # A fixed port from the start: cheroot sets SO_REUSEADDR only for those, and the
            # server must come back on the same port after `stop()`.
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.port = s.getsockname()[1]
        server = wsgi.Server(("127.0.0.1", self.port), self._app, numthreads=16)
        server.shutdown_timeout = 2
        server.prepare()
        self.port = server.bind_addr[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve, name="wsgidav", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def _app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] in self.refuse:
            start_response("503 Service Unavailable", [("Content-Length", "0")])
            return [b""]
        body = self._dav(environ, start_response)
        if environ["REQUEST_METHOD"] != "GET":
            return body  # type: ignore[no-any-return]
        self.gets += 1
        if self.cut_path and environ["PATH_INFO"] == MOUNT + self.cut_path:
            self.cut_path = ""
            return self._cut(body)
        return body  # type: ignore[no-any-return]

    def _cut(self, body: Iterable[bytes]) -> Iterator[bytes]:
        sent = 0
        try:
            for chunk in body:
                room = self.cut_after - sent
                if room <= 0:
                    break
                yield chunk[:room]
                sent += min(room, len(chunk))
            # Hold the connection half-sent until the test has taken the server down.
            self.paused.set()
            self.release.wait(10)
            raise ConnectionAbortedError("the server went away mid-transfer")
        finally:
            close = getattr(body, "close", None)
            if close:
                close()


if __name__ == "__main__":
    # `python -m tests.sync.davserver FOLDER PORT`: the same server in a process of its own
    # (bench/sync.py), so it does not share the measured process's interpreter lock.
    import sys
    import time

    DavServer(Path(sys.argv[1]), int(sys.argv[2])).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)
