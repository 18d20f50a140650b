"""Piccolo tables: documents, their pages, and every arrival of a file."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

QUEUED = "queued"
PROCESSING = "processing"
READY = "ready"
FAILED = "failed"
STATES = (QUEUED, PROCESSING, READY, FAILED)


class Document(Table, tablename="document"):
    """One distinct original (by SHA-256) and where it is in the reading pipeline."""

    id = Serial(primary_key=True)
    sha256 = Varchar(length=64, unique=True, index=True)
    original_name = Varchar(length=255)
    size = BigInt()
    mime = Varchar(length=100, default="")
    kind = Varchar(length=20, default="")
    source = Varchar(length=20, default="inbox")
    profile_hint = Varchar(length=255, null=True, default=None)
    state = Varchar(length=20, default=QUEUED, index=True)
    failure_code = Varchar(length=40, default="")
    failure_reason = Text(default="")
    warnings = JSON(default="[]")
    attempts = Integer(default=0)
    not_before = Float(default=0.0)
    lease_owner = Varchar(length=100, default="")
    lease_expires = Float(default=0.0)
    page_count = Integer(default=0)
    has_pdf = Boolean(default=False)
    read_seconds = Float(default=0.0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Page(Table, tablename="page"):
    """A page's text and word boxes (fractions of the page, origin top-left)."""

    id = Serial(primary_key=True)
    document = ForeignKey(references=Document, index=True)
    number = Integer()
    text = Text(default="")
    words = JSON(default="[]")
    width_pt = Float(default=0.0)
    height_pt = Float(default=0.0)
    ocr_applied = Boolean(default=False)


class Arrival(Table, tablename="arrival"):
    """Every file handed to Kinchart: new, a duplicate of an existing document, or rejected."""

    id = Serial(primary_key=True)
    document = ForeignKey(references=Document, null=True, index=True)
    source = Varchar(length=20)
    original_name = Varchar(length=255)
    source_path = Text(default="")
    profile_hint = Varchar(length=255, null=True, default=None)
    sha256 = Varchar(length=64, default="")
    size = BigInt(default=0)
    source_mtime = Float(default=0.0)
    outcome = Varchar(length=20)  # new | duplicate | rejected
    reason = Text(default="")
    received_at = Timestamptz(default=TimestamptzNow())


TABLES: list[type[Table]] = [Document, Page, Arrival]
