"""The `kinchart` command: one group, and the commands of each area (`server/cli/<area>.py`)."""

from __future__ import annotations

import click

from server.cli import (
    documents,
    export,
    facts,
    maintenance,
    people,
    search,
    serve,
    shares,
    sources,
)
from server.cli._common import KinchartGroup


@click.group(cls=KinchartGroup)
@click.version_option(package_name="kinchart")
def main() -> None:
    """Kinchart: a household's health records on its own server."""


for area in (serve, documents, people, facts, search, sources, maintenance, shares, export):
    for command in area.commands:
        main.add_command(command)
