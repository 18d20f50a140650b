"""What every `kinchart` command shares: output, progress, settings, the runtime, and errors.

Area modules (`server/cli/<area>.py`) import this module and the feature layers, never `main`.
A command that needs the database is an async function under `@in_runtime()`: it gets the open
`Services` first, then its options, and may return an `ExitCode`. Errors are not caught in the
commands: a `KinchartError` reaches `KinchartGroup`, the one CLI handler, which prints its
`user_message` and exits with its `exit_code` (README, "Exit codes").
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, NoReturn, ParamSpec, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from server.errors import ExitCode, KinchartError
from server.runtime import Services, running
from server.settings import Settings, load_settings

__all__ = [
    "ExitCode",
    "KinchartGroup",
    "Services",
    "console",
    "fail",
    "in_runtime",
    "out",
    "progress_bar",
    "settings",
    "show_logs",
]

P = ParamSpec("P")
T = TypeVar("T")

console = Console(stderr=True)  # messages, progress and errors
out = Console(highlight=False, soft_wrap=True)  # what a script reads


def fail(message: str, code: ExitCode = ExitCode.bad_input) -> NoReturn:
    """Say what went wrong, in words a person can act on, and exit with `code`."""
    console.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True)
    sys.exit(int(code))


class KinchartGroup(click.Group):
    """The CLI's one error handler: a `KinchartError` becomes its message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors, --help, a declined prompt: click answers them itself
        except KinchartError as exc:
            fail(exc.user_message, exc.exit_code)
        except KeyboardInterrupt:
            console.print("interrupted")
            sys.exit(int(ExitCode.interrupted))
        except Exception:
            # A bug, not a person's mistake: the traceback is what a bug report needs.
            console.print_exception()
            fail("Kinchart failed unexpectedly (details above).", ExitCode.internal)


def progress_bar() -> Progress:
    """The progress display of every long CLI command: what, bar, n of total, time taken."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def settings() -> Settings:
    """The settings from the environment and `.env` (a bad value is a `SettingsError`)."""
    return load_settings()


def show_logs(settings: Settings, quiet: bool = False) -> None:
    level = logging.WARNING if quiet else getattr(logging, settings.log_level.upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def in_runtime(
    *, workers: bool = False, quiet: bool | None = None
) -> Callable[[Callable[Concatenate[Services, P], Awaitable[T]]], Callable[P, None]]:
    """Run an async command with the runtime open: settings loaded, database open, closed after.

    `workers` starts this process's document workers too; `quiet` sets up logging (warnings
    only when true). What the command returns, if an `ExitCode`, is the process's exit status,
    given once the runtime has closed.
    """

    def decorate(command: Callable[Concatenate[Services, P], Awaitable[T]]) -> Callable[P, None]:
        @functools.wraps(command)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            loaded = settings()
            if quiet is not None:
                show_logs(loaded, quiet=quiet)

            async def inside() -> T:
                async with running(loaded, workers=workers) as services:
                    return await command(services, *args, **kwargs)

            result = asyncio.run(inside())
            if isinstance(result, ExitCode) and result != ExitCode.ok:
                sys.exit(int(result))

        return run

    return decorate
