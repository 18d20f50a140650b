"""Settings: one frozen dataclass read from KINCHART_* variables and an optional .env."""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from server.errors import ExitCode, KinchartError

PREFIX = "KINCHART_"


def _setting(
    default: Any, help: str, *, secret: bool = False, shown_default: str | None = None
) -> Any:
    return field(
        default=default,
        metadata={"help": help, "secret": secret, "shown_default": shown_default},
    )


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


@dataclass(frozen=True)
class Settings:
    """Every knob Kinchart has; the README's settings table is generated from this."""

    data_dir: Path = _setting(
        Path("./data"),
        "Folder for the database (SQLite), originals store, page images and search index.",
    )
    inbox_dir: Path = _setting(
        Path("./inbox"),
        "Folder watched for new files; a first-level sub-folder names the profile it is for.",
    )
    failed_dir: Path | None = _setting(
        None,
        "Where inbox files that cannot be taken in are moved, each with a `.reason.txt` beside it.",
        shown_default="`<data dir>/failed`",
    )
    database_url: str = _setting(
        "",
        "Database URL: `sqlite:///relative/path`, `sqlite:////absolute/path` or "
        "`postgresql://user:pass@host:port/db`.",
        secret=True,
        shown_default="SQLite file `<data dir>/kinchart.sqlite3`",
    )
    sqlite_busy_seconds: float = _setting(
        60.0,
        "How long a SQLite write waits for another process's write (server, `kinchart ingest`, "
        'workers) before it fails with "database is locked".',
    )
    host: str = _setting("127.0.0.1", "Address the web server binds to.")
    port: int = _setting(8000, "Port the web server listens on.")
    ocr_languages: str = _setting(
        "eng", "Tesseract languages for OCR, joined with `+` (e.g. `eng+deu`)."
    )
    ocr_workers: int = _setting(
        0,
        "Documents read at the same time (one warm OCR process each).",
        shown_default="CPU cores, at most 4",
    )
    ocr_timeout_seconds: int = _setting(
        900, "A document still being read after this long is stopped and retried."
    )
    ocr_idle_exit_seconds: int = _setting(
        120, "OCR processes exit after this long without work, to give memory back."
    )
    inbox_stable_seconds: float = _setting(
        5.0,
        "A file with no close event (SMB/NFS copies) is taken once its size and time "
        "have not changed for this long.",
    )
    inbox_rescan_seconds: float = _setting(
        60.0, "Full rescan of the inbox, to catch files whose events were missed."
    )
    watch_inbox: bool = _setting(True, "Watch the inbox folder when serving.")
    sync_sources: bool = _setting(
        True, "Pull from the sync sources (WebDAV, `kinchart source add`) when serving."
    )
    sync_settle_seconds: float = _setting(
        10.0,
        "A remote file is taken once its size and ETag are the same in two listings this many "
        "seconds apart (so files still being uploaded are left alone).",
    )
    max_file_mb: int = _setting(500, "Largest file taken in (inbox, upload or CLI), in megabytes.")
    max_pages: int = _setting(1000, "Documents with more pages than this fail with a reason.")
    max_attempts: int = _setting(
        4, "Attempts at reading a document after transient errors before it is marked failed."
    )
    retry_backoff_seconds: float = _setting(
        30.0, "Wait before the first retry after a transient error; doubles each attempt."
    )
    lease_seconds: float = _setting(
        60.0,
        "A claimed document returns to the queue if its worker stops renewing the claim "
        "for this long.",
    )
    session_idle_minutes: int = _setting(720, "A login ends after this long without activity.")
    session_max_days: int = _setting(30, "A login ends this long after it began, whatever happens.")
    trusted_proxies: str = _setting(
        "",
        "Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto headers are "
        "believed (needed for Secure cookies and per-address login throttling behind a proxy).",
    )
    allowed_hosts: str = _setting(
        "",
        "Comma-separated host names the server answers to (the Host header), e.g. "
        "`kinchart.example.org,nas.local`; loopback names and the bind address are always "
        "allowed. Refuses DNS-rebinding pages. `*` allows any.",
    )
    base_url: str = _setting(
        "",
        "The address clinicians reach this server at (e.g. `https://kinchart.example.org`, "
        "the reverse proxy's): share links and their QR codes are built on it. Unset: the "
        "address the request that made the link came in on (`http://127.0.0.1:8000` at the "
        "console).",
    )
    webdav_addresses: str = _setting(
        "lan",
        "Which addresses WebDAV sources may connect to: `lan` (internet, private LAN and this "
        "machine, where NAS servers live), `public` (internet only) or `any` (also link-local, "
        "such as a cloud metadata service at 169.254.169.254). Redirects to another server are "
        "never followed, whatever this says.",
    )
    meili_url: str = _setting(
        "",
        "Meilisearch URL (e.g. `http://meilisearch:7700`). When set, search uses it instead of "
        "the embedded Tantivy index in `<data dir>/search`.",
    )
    meili_key: str = _setting(
        "", "Meilisearch API key (the master key, or a key that may search and index).", secret=True
    )
    log_level: str = _setting("info", "Log level: debug, info, warning or error.")

    # --- derived values ---------------------------------------------------------------
    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "kinchart.sqlite3"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def effective_failed_dir(self) -> Path:
        return self.failed_dir or self.data_dir / "failed"

    @property
    def effective_ocr_workers(self) -> int:
        return self.ocr_workers or _default_workers()

    @property
    def allowed_host_list(self) -> list[str]:
        """Host names for Starlette's TrustedHostMiddleware."""
        named = [x.strip() for x in self.allowed_hosts.split(",") if x.strip()]
        if "*" in named:
            return ["*"]
        hosts = ["localhost", "127.0.0.1", "::1", "[::1]", *named]
        if self.host not in ("", "0.0.0.0", "::"):
            hosts.append(self.host)
        return hosts

    @property
    def trusted_proxy_set(self) -> frozenset[str]:
        return frozenset(x.strip() for x in self.trusted_proxies.split(",") if x.strip())

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(x for x in self.ocr_languages.replace(",", "+").split("+") if x)


WEBDAV_ADDRESSES = ("lan", "public", "any")  # the policies of sync.addresses


class SettingsError(KinchartError):
    """A setting has a value that cannot be used."""

    status = 500  # on the web it is the server's configuration, not the request, that is wrong
    exit_code = ExitCode.bad_input


def env_name(name: str) -> str:
    return PREFIX + name.upper()


def _convert(raw: str, default: Any, name: str) -> Any:
    kind = type(default) if default is not None else Path
    try:
        if kind is bool:
            low = raw.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        if issubclass(kind, Path):
            return Path(raw).expanduser() if raw else default
        return raw
    except ValueError:
        raise SettingsError(f"{env_name(name)}={raw!r} is not a valid {kind.__name__}") from None


def load_settings(
    environ: dict[str, str] | None = None, env_file: Path | None = Path(".env"), **overrides: Any
) -> Settings:
    """Build settings from a .env file, then the environment (which wins), then overrides."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    kwargs: dict[str, Any] = {}
    for f in fields(Settings):
        key = env_name(f.name)
        if key in values:
            kwargs[f.name] = _convert(values[key], f.default, f.name)
    kwargs.update(overrides)
    settings = Settings(**kwargs)
    if settings.port <= 0 or settings.port > 65535:
        raise SettingsError(f"{env_name('port')} must be between 1 and 65535")
    if settings.webdav_addresses not in WEBDAV_ADDRESSES:
        raise SettingsError(
            f"{env_name('webdav_addresses')} must be one of {', '.join(WEBDAV_ADDRESSES)}"
        )
    return settings


def settings_table() -> str:
    """The README's settings table, generated so the two cannot drift apart."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for f in fields(Settings):
        shown = f.metadata.get("shown_default")
        if shown is None:
            default = f.default if f.default is not MISSING else ""
            if isinstance(default, bool):
                default = str(default).lower()
            elif isinstance(default, Path):
                default = f"./{default}"
            shown = f"`{default}`"
        rows.append(f"| `{env_name(f.name)}` | {shown} | {f.metadata['help']} |")
    return "\n".join(rows) + "\n"


def describe(settings: Settings) -> dict[str, str]:
    """Settings as strings for display, with secrets masked."""
    out: dict[str, str] = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.metadata.get("secret") and value:
            value = _mask_url(str(value))
        out[env_name(f.name)] = "" if value is None else str(value)
    return out


def _mask_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return "***" if not url.startswith("sqlite") else url
