"""The one CLI handler: an error becomes its message on stderr and its exit code."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from server.cli._common import KinchartGroup
from server.errors import ExitCode, NotFound, Unavailable

pytestmark = pytest.mark.nodb


@click.group(cls=KinchartGroup)
def cli() -> None:
    """A group like `kinchart`."""


@cli.command()
@click.argument("what")
def fails(what: str) -> None:
    if what == "missing":
        raise NotFound("There is no profile 'nope'.")
    if what == "brackets":
        raise NotFound("There is no profile '[b]x'.")
    if what == "down":
        raise Unavailable("Cannot connect to PostgreSQL.")
    if what == "usage":
        raise click.UsageError("give --profile SLUG")
    raise RuntimeError("a bug")


@pytest.mark.parametrize(
    ("what", "code", "says"),
    [
        ("missing", ExitCode.not_found, "There is no profile 'nope'."),
        ("brackets", ExitCode.not_found, "There is no profile '[b]x'."),  # not rich markup
        ("down", ExitCode.unavailable, "Cannot connect to PostgreSQL."),
        ("usage", ExitCode.bad_input, "give --profile SLUG"),
        ("bug", ExitCode.internal, "RuntimeError"),
    ],
)
def test_an_error_exits_with_its_code(what: str, code: ExitCode, says: str) -> None:
    result = CliRunner().invoke(cli, ["fails", what])
    assert result.exit_code == code
    assert says in result.output
