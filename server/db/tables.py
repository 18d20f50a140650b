"""Piccolo tables: people and access, documents, pages, arrivals, audit log, sync and API."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

QUEUED = "queued"
PROCESSING = "processing"
READY = "ready"
FAILED = "failed"
STATES = (QUEUED, PROCESSING, READY, FAILED)


OWNER = "owner"
CAREGIVER = "caregiver"
VIEWER = "viewer"
ROLES = (OWNER, CAREGIVER, VIEWER)


class User(Table, tablename="kc_user"):
    """Someone who logs in."""

    id = Serial(primary_key=True)
    username = Varchar(length=64, unique=True, index=True)
    display_name = Varchar(length=100, default="")
    password_hash = Text()
    is_admin = Boolean(default=False)
    disabled = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    # How dates are written for this user: "iso", "dmy", "mdy"; "" = from the browser's language.
    date_format = Varchar(length=8, default="")
    # Device cookies issued before this time (epoch seconds) no longer count as known devices:
    # set by "log out everywhere", a password change or reset, and disabling the account.
    devices_since = Float(default=0.0)


class Session(Table, tablename="kc_session"):
    """A logged-in browser; the cookie holds a token whose SHA-256 is stored here."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    csrf_token = Varchar(length=64)
    created = Float()
    last_seen = Float()
    ip = Varchar(length=64, default="")
    user_agent = Varchar(length=255, default="")


class Profile(Table, tablename="profile"):
    """A person whose records are kept (with or without a login of their own)."""

    id = Serial(primary_key=True)
    slug = Varchar(length=64, unique=True, index=True)
    display_name = Varchar(length=100)
    date_of_birth = Date(null=True, default=None)
    linked_user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    color = Varchar(length=7, default="#3366aa")
    created_at = Timestamptz(default=TimestamptzNow())
    # Unaddressed documents are filed here by inbox folder or printed name and birth date only
    # when an admin created the profile or confirmed it as a filing target: otherwise any user
    # could create "Jane Doe / 1960-02-03" and receive Jane's next document (issue 11).
    filing_target = Boolean(default=False)
    # For the emergency card (issue 13): as the owners and caregivers typed them.
    blood_type = Varchar(length=8, default="")
    emergency_contacts = Text(default="")
    # A new random value on every write to the profile's facts or documents, set by database
    # triggers (migration 2026-12-06T16:10): the health views' cache key (health/readmodel.py).
    read_version = BigInt(default=0)


class Grant(Table, tablename="kc_grant"):
    """A user's role on one profile: owner, caregiver or viewer."""

    id = Serial(primary_key=True)
    # "user:profile", unique: Piccolo has no composite unique constraints.
    key = Varchar(length=40, unique=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    profile = ForeignKey(references=Profile, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20)


class Document(Table, tablename="document"):
    """One distinct original (by SHA-256) and where it is in the reading pipeline."""

    id = Serial(primary_key=True)
    # Unique per profile (the unique (profile, sha256) index of migration 2026-12-06T13:00:01):
    # the same bytes are one document in each profile that has them, sharing one stored original.
    sha256 = Varchar(length=64, index=True)
    original_name = Varchar(length=255)
    size = BigInt()
    mime = Varchar(length=100, default="")
    kind = Varchar(length=20, default="")
    source = Varchar(length=20, default="inbox")
    profile_hint = Varchar(length=255, null=True, default=None)
    # None until routed; unrouted documents wait in the admins' triage queue.
    profile = ForeignKey(references=Profile, null=True, on_delete=OnDelete.set_null, index=True)
    suggested_profiles = JSON(default="[]")
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
    # What the facts extractor read (ocr.facts): type, the date it is about, who issued it.
    doc_type = Varchar(length=40, default="", index=True)  # "lab report", "visit note", …
    doc_date = Date(null=True, default=None, index=True)
    doc_date_kind = Varchar(length=20, default="")  # "collected", "service", "discharge", …
    provider = Varchar(length=255, default="")
    facility = Varchar(length=255, default="")
    title = Varchar(length=200, default="")  # given by a person; empty: made from the above
    notes = Text(default="")  # the household's own notes on the document
    facts_version = Integer(default=0)  # the extractor version that wrote this document's facts
    # Whose document is it (server/facts/patient.py): the patient it prints, and how that
    # compares with its profile: "" nothing to compare, match, mismatch, confirmed (by a person).
    printed_patient = JSON(default="{}")
    patient_check = Varchar(length=20, default="")
    # Deleted by a person (documents/trash.py): out of every view until restored, or purged
    # after TRASH_DAYS. `trashed_by` names who deleted it, as the trash page shows. No index:
    # nearly every row is NULL, and SQLite then preferred it to the profile index for lists.
    trashed_at = Timestamptz(null=True, default=None)
    trashed_by = Varchar(length=100, default="")


class DocumentTag(Table, tablename="document_tag"):
    """A household's own tag on a document ("insurance", "school"), to find it by."""

    id = Serial(primary_key=True)
    document = ForeignKey(references=Document, on_delete=OnDelete.cascade, index=True)
    tag = Varchar(length=40, default="", index=True)


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


FACT_KINDS = ("lab", "vital", "medication", "condition", "allergy", "immunization", "procedure")
EXTRACTED = "extracted"
CONFIRMED = "confirmed"
CORRECTED = "corrected"
REJECTED = "rejected"
MANUAL = "manual"  # entered by hand
FACT_STATUSES = (EXTRACTED, CONFIRMED, CORRECTED, REJECTED, MANUAL)


class Fact(Table, tablename="fact"):
    """One health fact about a profile, with its citation in the source document.

    Extracted facts belong to their document and follow it: `profile` always equals the
    document's profile (None while the document waits in triage or lies in the trash). Facts
    entered by hand have no document. The columns always hold the current value: a correction
    rewrites them and keeps what was read in `data` (never changed after extraction) and the
    changed fields in `corrected`. Readers skip `rejected` facts.
    """

    id = Serial(primary_key=True)
    profile = ForeignKey(references=Profile, null=True, on_delete=OnDelete.cascade, index=True)
    document = ForeignKey(references=Document, null=True, on_delete=OnDelete.cascade, index=True)
    # with profile: the index fact_profile_kind (migration 2026-12-06T17:10)
    kind = Varchar(length=20, index=True)  # one of FACT_KINDS
    status = Varchar(length=20, default=EXTRACTED, index=True)  # one of FACT_STATUSES
    seq = Integer(default=0)  # order within the document
    name = Varchar(length=255, default="")  # analyte / medication / condition / substance / vaccine
    analyte = Varchar(length=64, default="", index=True)  # catalogue key for labs
    code = Varchar(length=64, default="")  # LOINC, ICD-10, RxNorm, CVX, … when known
    effective = Date(null=True, default=None, index=True)  # collected / given / document date
    value_text = Varchar(length=255, default="")  # as printed: "<0.5", "Negative", "1:160"
    value_num = Float(null=True, default=None)  # in `unit` (the canonical unit when convertible)
    unit = Varchar(length=40, default="")
    flag = Varchar(length=10, default="")  # H, L, A, HH, LL, critical
    state = Varchar(length=20, default="")  # active / stopped / resolved / none-known / …
    data = JSON(default="{}")  # the whole extracted record, as read
    # 0..1 from the evidence it was read with (ocr.facts.confidence); None: structured source
    # or typed in. Unreviewed facts below ocr.facts.confidence.REVIEW_BELOW wait in review.
    confidence = Float(null=True, default=None)
    corrected = JSON(default="{}")  # fields a person changed (status corrected or manual)
    page = Integer(null=True, default=None)  # 1-based; None for structured sources
    boxes = JSON(default="[]")  # [[x0, y0, x1, y1], …] as fractions of the page, top-left origin
    line = Text(default="")  # the source line(s)
    locator = Varchar(length=255, default="")  # element path for structured sources (C-CDA)
    reviewed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    reviewed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    # One record from several sources (server/facts/same.py): the id of the fact this one is
    # another source's citation of (the views show that fact once, with this one as a source);
    # None: shown as itself. Recomputed for the whole profile whenever its facts change.
    same_as = Integer(null=True, default=None, index=True)
    apart = Boolean(default=False)  # a person said "this is a different result": never merged


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


class AuditEvent(Table, tablename="audit_event"):
    """Who did what, when: logins, views, downloads, grants, profile and routing changes."""

    id = Serial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    kind = Varchar(length=40, index=True)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    actor_name = Varchar(length=64, default="")
    profile = ForeignKey(references=Profile, null=True, on_delete=OnDelete.set_null, index=True)
    document = ForeignKey(references=Document, null=True, on_delete=OnDelete.set_null)
    subject = Varchar(length=64, default="", index=True)  # username or address concerned
    ip = Varchar(length=64, default="", index=True)
    detail = JSON(default="{}")


class SyncSource(Table, tablename="sync_source"):
    """A remote folder (WebDAV) Kinchart pulls files from."""

    id = Serial(primary_key=True)
    kind = Varchar(length=20, default="webdav")
    url = Text()
    username = Varchar(length=255, default="")
    password_encrypted = Text(default="")  # Fernet, with the key in <data dir>/secret.key
    remote_path = Text(default="/")
    # Files go to this profile; else, with by_subfolder, the first sub-folder names the profile.
    profile = ForeignKey(references=Profile, null=True, on_delete=OnDelete.set_null)
    by_subfolder = Boolean(default=False)
    after = Varchar(length=255, default="delete")  # delete | keep | move:PATH
    interval_seconds = Integer(default=300)
    enabled = Boolean(default=True)
    lease_owner = Varchar(length=100, default="")
    lease_until = Float(default=0.0)
    last_run = Timestamptz(null=True, default=None)
    last_taken = Integer(default=0)
    total_taken = Integer(default=0)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class RemoteFile(Table, tablename="sync_remote_file"):
    """One version (path, ETag, size) of a remote file a source has taken or refused."""

    id = Serial(primary_key=True)
    key = Varchar(length=64, unique=True)  # SHA-256 of source, path, ETag and size
    source = ForeignKey(references=SyncSource, on_delete=OnDelete.cascade, index=True)
    remote_path = Text()
    etag = Varchar(length=255, default="")
    size = BigInt(default=0)
    modified = Float(default=0.0)
    state = Varchar(length=20)  # taken (clean-up pending) | done | rejected
    document = ForeignKey(references=Document, null=True, on_delete=OnDelete.set_null)
    reason = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table, tablename="api_token"):
    """A user's token for the upload API, limited to profiles they chose; stored as SHA-256."""

    id = Serial(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True, index=True)
    profiles = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())
    last_used = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class PaperlessTask(Table, tablename="paperless_task"):
    """An upload through the Paperless-ngx API: the task id its app polls, and what it sent."""

    id = Serial(primary_key=True)
    task_id = Varchar(length=36, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    # The document the upload became (a new one, or the one with the same bytes); None when
    # the uploader may not see that document.
    document = ForeignKey(references=Document, null=True, on_delete=OnDelete.cascade, index=True)
    file_name = Varchar(length=255, default="")
    title = Varchar(length=255, default="")  # as the app sent it; "" when it sent none
    created = Date(null=True, default=None)  # the document's date as the app sent it
    result = Text(default="")  # why it became no document of the uploader's
    acknowledged = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


NORMAL_SHARE = "normal"
EMERGENCY_SHARE = "emergency"


class ShareLink(Table, tablename="share_link"):
    """A read-only link to one profile's chosen parts for a clinician; also a SMART Health Link.

    The token is found by its SHA-256; the token itself (to show the link and its QR again)
    and the SMART Health Link's key are kept encrypted with `<data dir>/secret.key`, so the
    database alone opens no link and decrypts no manifest (SECURITY.md).
    """

    id = Serial(primary_key=True)
    profile = ForeignKey(references=Profile, on_delete=OnDelete.cascade, index=True)
    label = Varchar(length=80, default="")
    kind = Varchar(length=20, default=NORMAL_SHARE)  # normal | emergency
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(null=True, default=None)  # None: until revoked
    revoked_at = Timestamptz(null=True, default=None)
    token_hash = Varchar(length=64, unique=True, index=True)
    token_encrypted = Text(default="")
    key_encrypted = Text(default="")
    passcode_hash = Text(default="")  # argon2id; "" without a passcode
    failed_attempts = Integer(default=0)  # wrong passcodes since the last unlock
    last_failed = Float(default=0.0)  # time.time() of the last wrong passcode
    locked_at = Timestamptz(null=True, default=None)
    documents = JSON(default="[]")  # ids of the documents shared besides the summary
    labs = Boolean(default=True)
    vitals = Boolean(default=True)
    views = Integer(default=0)
    last_viewed = Timestamptz(null=True, default=None)


class ShareView(Table, tablename="share_view"):
    """One request on a share link: page, document or manifest, and how it ended."""

    id = Serial(primary_key=True)
    link = ForeignKey(references=ShareLink, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow())
    what = Varchar(length=20, default="page")  # page | document | manifest | passcode
    outcome = Varchar(length=20, default="ok")  # ok | wrong_passcode | locked | throttled
    ip = Varchar(length=64, default="")
    user_agent = Varchar(length=255, default="")
    recipient = Varchar(length=255, default="")  # the manifest request's `recipient`
    document = Integer(null=True, default=None)


class Appointment(Table, tablename="appointment"):
    """A visit of one profile's person: on a day, at a time ("" for all day) as written on the
    clock where it happens (calendars show it as such: a "floating" time)."""

    id = Serial(primary_key=True)
    profile = ForeignKey(references=Profile, on_delete=OnDelete.cascade, index=True)
    day = Date(index=True)
    time = Varchar(length=5, default="")  # "HH:MM", 24-hour; "" for all day
    clinician = Varchar(length=255, default="")
    place = Varchar(length=255, default="")
    reason = Varchar(length=255, default="")
    notes = Text(default="")
    follow_up = Text(default="")
    documents = JSON(default="[]")  # ids of the profile's documents linked to it
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class CalendarFeed(Table, tablename="calendar_feed"):
    """A user's secret calendar address: the token is found by its SHA-256, never stored."""

    id = Serial(primary_key=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


TABLES: list[type[Table]] = [
    User,
    Session,
    Profile,
    Grant,
    Document,
    DocumentTag,
    Fact,
    Page,
    Arrival,
    AuditEvent,
    SyncSource,
    RemoteFile,
    ApiToken,
    PaperlessTask,
    ShareLink,
    ShareView,
    Appointment,
    CalendarFeed,
]
