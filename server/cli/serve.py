"""`kinchart serve` (the everyday command: web UI, inbox watcher and workers) and `settings`."""

from __future__ import annotations

import dataclasses

import click

from server.cli._common import console, out, settings, show_logs
from server.settings import describe, settings_table
from server.web._common import is_loopback


@click.command()
@click.option("--host", default=None, help="Bind address (default KINCHART_HOST).")
@click.option("--port", type=int, default=None, help="Port (default KINCHART_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Web UI, inbox watcher and workers in one process."""
    # Imported here, not above, only to keep every other command's start-up light.
    import uvicorn

    from server.app import create_app

    loaded = settings()
    host = host or loaded.host
    port = port or loaded.port
    if not is_loopback(host):
        console.print(
            f"Listening on {host}: anyone on the network reaches the login page. Put Kinchart "
            "behind HTTPS (deploy/nginx.conf.example) and set KINCHART_TRUSTED_PROXIES."
        )
    show_logs(loaded)
    console.print(f"Kinchart on http://{host}:{port}/  (inbox: {loaded.inbox_dir.absolute()})")
    app = create_app(dataclasses.replace(loaded, host=host, port=port))
    # proxy_headers off: uvicorn would believe X-Forwarded-For from loopback whatever
    # KINCHART_TRUSTED_PROXIES says; the security middleware reads them from those proxies only.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=loaded.log_level,
        access_log=False,
        proxy_headers=False,
    )


@click.command("settings")
@click.option("--markdown", is_flag=True, help="Print the README's settings table.")
def settings_cmd(markdown: bool) -> None:
    """Show the settings in force (secrets masked)."""
    if markdown:
        out.print(settings_table(), end="")
        return
    for k, v in describe(settings()).items():
        out.print(f"{k}={v}")


commands = [serve, settings_cmd]
