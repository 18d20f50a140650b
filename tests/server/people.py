"""A household for tests: users in every role, two profiles, documents with real files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import httpx

from server.auth import hash_password
from server.store import Store
from server.tables import Document, Grant, Page, Profile, User

PASSWORD = "correct horse battery"
_HASH: list[str] = []
SECRET_NAME = "dad-confidential-labs.pdf"
SECRET_TEXT = "CREATININE-SECRET-4242"
UNFILED_NAME = "unfiled-mystery-scan.pdf"


def password_hash() -> str:
    # argon2 is deliberately slow: hash the shared test password once per run.
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


@dataclass
class Household:
    """Ids of everything made, by name."""

    users: dict[str, int] = field(default_factory=dict)
    profiles: dict[str, int] = field(default_factory=dict)
    docs: dict[str, int] = field(default_factory=dict)
    facts: dict[str, int] = field(default_factory=dict)  # made by the tests that need them


ROLES = {"olga": "owner", "bob": "caregiver", "carol": "viewer"}


async def make_household(store: Store) -> Household:
    h = Household()
    for name, admin in [
        ("admin", True),
        ("alice", False),
        ("olga", False),
        ("bob", False),
        ("carol", False),
        ("dave", False),
        ("erin", False),
    ]:
        rows = await User.insert(
            User(
                username=name,
                display_name=name.title(),
                password_hash=password_hash(),
                is_admin=admin,
            )
        ).returning(User.id)
        h.users[name] = rows[0]["id"]
    for slug, display, dob in [
        ("dad", "Secret Dad", date(1950, 3, 14)),
        ("kid", "Kiddo", date(2015, 6, 1)),
    ]:
        rows = await Profile.insert(
            Profile(slug=slug, display_name=display, date_of_birth=dob)
        ).returning(Profile.id)
        h.profiles[slug] = rows[0]["id"]
    grants = [("alice", "dad", "owner"), ("erin", "kid", "owner")] + [
        (u, "dad", role) for u, role in ROLES.items()
    ]
    for user, slug, role in grants:
        uid, pid = h.users[user], h.profiles[slug]
        await Grant.insert(Grant(key=f"{uid}:{pid}", user=uid, profile=pid, role=role))
    for key, name, profile in [
        ("dad", SECRET_NAME, h.profiles["dad"]),
        ("kid", "kid-vaccines.pdf", h.profiles["kid"]),
        ("unfiled", UNFILED_NAME, None),
    ]:
        h.docs[key] = await _ready_document(store, name, profile)
    return h


async def _ready_document(store: Store, name: str, profile: int | None) -> int:
    body = f"%PDF-1.4 {name}".encode()
    import hashlib

    sha = hashlib.sha256(body).hexdigest()
    store.ensure()
    path = store.original_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    rows = await Document.insert(
        Document(
            sha256=sha,
            original_name=name,
            size=len(body),
            mime="application/pdf",
            kind="pdf",
            state="ready",
            page_count=1,
            has_pdf=True,
            profile=profile,
        )
    ).returning(Document.id)
    doc_id = rows[0]["id"]
    await Page.insert(Page(document=doc_id, number=1, text=f"{SECRET_TEXT} for {name}"))
    derived = store.derived_dir(doc_id)
    (derived / "pages").mkdir(parents=True, exist_ok=True)
    (derived / "thumbs").mkdir(parents=True, exist_ok=True)
    (derived / "pages" / "1.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBP" + name.encode())
    (derived / "thumbs" / "1.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBP" + name.encode())
    (derived / "document.pdf").write_bytes(body)
    return int(doc_id)


def csrf_from(html: str) -> str:
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page carries no CSRF token"
    return match.group(1)


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the real form; returns the session's CSRF token."""
    client.headers.pop("X-CSRF-Token", None)
    page = await client.get("/login")
    r = await client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 303, (r.status_code, r.text[:300])
    account = await client.get("/account")
    token = csrf_from(account.text)
    client.headers["X-CSRF-Token"] = token
    return token
