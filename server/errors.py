"""One error type for everything a person can act on: a message, an HTTP status, an exit code.

A feature raises a `KinchartError` subclass; one Starlette handler (`server/app.py`) turns it into
a page or JSON with its `status`, and one CLI handler (`server/cli/_common.py`) prints its
`user_message` and exits with its `exit_code`. Third-party errors are translated where they are
caught (a refused database connection becomes `Unavailable`), never passed up as they are.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What `kinchart` exits with; the README's table lists them."""

    ok = 0
    failed = 1  # the command ran, but some of its work failed (a file could not be read)
    bad_input = 2  # arguments or settings that cannot be used (click's usage errors too)
    not_found = 3  # no such user, profile, document or source
    permission_denied = 4  # the user named (--user) may not see or do this
    unavailable = 5  # the database, the search index or a remote server cannot answer
    internal = 15  # a bug: the message and traceback belong in a bug report
    interrupted = 130  # Ctrl-C


class KinchartError(Exception):
    """Something went wrong that a person can act on; `user_message` says what, in their words."""

    user_message: str = "Something went wrong on the server; it is still running."
    status: int = 500
    exit_code: ExitCode = ExitCode.internal

    def __init__(self, user_message: str | None = None, status: int | None = None) -> None:
        if user_message is not None:
            self.user_message = user_message
        if status is not None:
            self.status = status
        super().__init__(self.user_message)


class BadInput(KinchartError):
    """What was asked cannot be done as given; the message says what to change."""

    status = 400
    exit_code = ExitCode.bad_input


class NotFound(KinchartError):
    """There is no such user, profile, document or source."""

    status = 404
    exit_code = ExitCode.not_found


class PermissionDenied(KinchartError):
    """The caller may not see or do this."""

    status = 403
    exit_code = ExitCode.permission_denied


class Unavailable(KinchartError):
    """Something Kinchart needs (database, search index, a remote server) cannot answer now."""

    status = 503
    exit_code = ExitCode.unavailable
