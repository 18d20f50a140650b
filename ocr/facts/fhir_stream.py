"""FHIR R4 JSON resources, one at a time, from a Bundle, a single resource or NDJSON.

Memory stays bounded by the largest resource, never the file: bundles are streamed with
ijson (`entry.item` one at a time), NDJSON is read line by line with a cap on a line, and
every read goes through a guard that refuses a single JSON token (a string or number) longer
than `MAX_TOKEN` before the parser would hold it whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

MAX_TOKEN = 64 * 1024 * 1024  # a base64 attachment can be large; a 2 GB string is not read
MAX_LINE = 64 * 1024 * 1024  # one NDJSON resource
_CHUNK = 64 * 1024
_PROBE = 1024 * 1024


class FhirFileError(ValueError):
    """The file as a whole cannot be read (damaged JSON, a token too long)."""


@dataclass(frozen=True)
class Item:
    """A resource as parsed, its Bundle fullUrl, or why this one could not be parsed."""

    resource: dict[str, Any] | None
    full_url: str | None = None
    failure: str | None = None  # set when `resource` is None


class Guard:
    """A binary reader that fails once any run without a quote or comma exceeds MAX_TOKEN."""

    def __init__(self, raw: IO[bytes], limit: int = MAX_TOKEN) -> None:
        self.raw, self.limit, self.run = raw, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(_CHUNK if size is None or size < 0 else size)
        if not data:
            return data
        first = min((i for i in (data.find(b'"'), data.find(b",")) if i >= 0), default=-1)
        if first < 0:
            self.run += len(data)
        else:
            if self.run + first > self.limit:
                raise FhirFileError(_too_long(self.limit))
            self.run = len(data) - 1 - max(data.rfind(b'"'), data.rfind(b","))
        if self.run > self.limit:
            raise FhirFileError(_too_long(self.limit))
        return data


def _too_long(limit: int) -> str:
    return (
        f"a single value in the file is longer than {limit // (1024 * 1024)} MB, which no "
        "health record needs; the rest of the file was not read"
    )


def resources(path: Path) -> Iterator[Item]:
    """Every resource in the file, in order; raises FhirFileError when the file breaks off."""
    if _is_ndjson(path):
        yield from _ndjson(path)
        return
    seen = False
    with open(path, "rb") as raw:
        try:
            for entry in ijson.items(Guard(raw), "entry.item", use_float=True):
                seen = True
                yield _entry(entry)
        except ijson.JSONError as error:
            raise FhirFileError(f"the JSON is damaged ({error})") from error
    if seen:
        return
    # Not a Bundle with entries: the file is one resource (or an empty Bundle).
    with open(path, "rb") as raw:
        try:
            for value in ijson.items(Guard(raw), "", use_float=True, multiple_values=True):
                if isinstance(value, dict) and value.get("resourceType") != "Bundle":
                    yield Item(value)
                elif not isinstance(value, dict):
                    yield Item(None, failure="a JSON value that is not a FHIR resource")
        except ijson.JSONError as error:
            raise FhirFileError(f"the JSON is damaged ({error})") from error


def _entry(entry: Any) -> Item:
    if not isinstance(entry, dict):
        return Item(None, failure="a Bundle entry that is not a JSON object")
    resource = entry.get("resource")
    url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
    if resource is None:
        return Item(None, url, failure="a Bundle entry without a resource")
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return Item(None, url, failure="a Bundle entry whose resource has no resourceType")
    return Item(resource, url)


def _is_ndjson(path: Path) -> bool:
    """Whether the first line is a whole non-Bundle resource and another line follows."""
    with open(path, "rb") as f:
        # A first line over 1 MB is read as concatenated JSON values instead (still streamed).
        first = f.readline(_PROBE)
        if not first.endswith(b"\n"):
            return False
        try:
            value = json.loads(first)
        except ValueError:
            return False
        if not isinstance(value, dict) or value.get("resourceType") in (None, "Bundle"):
            return False
        while True:
            line = f.readline(_CHUNK)
            if not line:
                return False
            if line.strip():
                return line.lstrip().startswith(b"{")


def _ndjson(path: Path) -> Iterator[Item]:
    with open(path, "rb") as f:
        number = 0
        while True:
            line = f.readline(MAX_LINE + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest, a chunk at a time
                    line = f.readline(_CHUNK)
                yield Item(
                    None,
                    failure=f"line {number} is longer than {MAX_LINE // (1024 * 1024)} MB "
                    "and was not read",
                )
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as error:
                yield Item(None, failure=f"line {number} is not valid JSON ({error})")
                continue
            if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
                yield Item(None, failure=f"line {number} is not a FHIR resource")
                continue
            yield Item(value)
