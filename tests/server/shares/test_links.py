"""Share links on real rows: who may make them, what is stored, expiry, revocation, passcodes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.access.policy import AccessDenied
from server.db.tables import ShareLink
from server.shares import links, shl
from server.shares.links import ShareError, ShareGone
from server.vault import Vault
from tests.fixtures.people import Household, caller_named

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def vault(app_services) -> Vault:  # type: ignore[no-untyped-def]
    return Vault(app_services.settings.data_dir)


async def test_owners_and_caregivers_make_links_viewers_and_strangers_cannot(
    household: Household, vault: Vault
) -> None:
    dad = household.profiles["dad"]
    for name in ("olga", "bob"):
        row, token = await links.create(await caller_named(name), vault, dad, label=name)
        assert row["profile"] == dad and len(token) == 43
    with pytest.raises(AccessDenied) as viewer:
        await links.create(await caller_named("carol"), vault, dad)
    assert viewer.value.status == 403
    with pytest.raises(AccessDenied) as stranger:
        await links.create(await caller_named("dave"), vault, dad)
    assert stranger.value.status == 404  # not even its existence
    with pytest.raises(AccessDenied):
        await links.listing(await caller_named("carol"), dad)
    assert len(await links.listing(await caller_named("olga"), dad)) == 2


async def test_the_database_holds_neither_token_nor_key(household: Household, vault: Vault) -> None:
    row, token = await links.create(
        await caller_named("olga"), vault, household.profiles["dad"], passcode="123456"
    )
    stored = str(await ShareLink.select().where(ShareLink.id == row["id"]))
    key = links.link_key(row, vault)
    assert token not in stored and shl.b64url(key) not in stored and "123456" not in stored
    assert len(key) == 32
    assert row["passcode_hash"].startswith("$argon2id$")
    made = links.links(row, vault, "https://kc.example.org/")
    assert made.page == f"https://kc.example.org/s/{token}"
    body = shl.decode(made.full)
    assert body["url"] == f"https://kc.example.org/shl/{token}/manifest"
    assert shl.unb64url(body["key"]) == key and "P" in body["flag"]


async def test_chosen_documents_must_be_the_profiles(household: Household, vault: Vault) -> None:
    olga = await caller_named("olga")
    dad = household.profiles["dad"]
    with pytest.raises(ShareError):
        await links.create(olga, vault, dad, documents=[household.docs["kid"]])
    with pytest.raises(ShareError):
        await links.create(olga, vault, dad, documents=[household.docs["unfiled"]])
    _, token = await links.create(olga, vault, dad, documents=[household.docs["dad"]])
    opened = await links.open_link(token)
    assert opened.share.may_document(household.docs["dad"], dad)
    assert not opened.share.may_document(household.docs["kid"], household.profiles["kid"])


def test_expiry_choices() -> None:
    assert links.parse_expiry("", NOW) == NOW + timedelta(days=7)
    assert links.parse_expiry("30d", NOW) == NOW + timedelta(days=30)
    assert links.parse_expiry("never", NOW) is None
    assert links.parse_expiry("2027-01-31", NOW) == datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)
    for bad in ("2026-12-01", "2028-12-01", "0d", "999d", "tomorrow", "12/31/2026"):
        with pytest.raises(ShareError):
            links.parse_expiry(bad, NOW)


async def test_revoked_and_expired_links_open_nothing(household: Household, vault: Vault) -> None:
    olga = await caller_named("olga")
    dad = household.profiles["dad"]
    row, token = await links.create(olga, vault, dad, expires="never")
    assert (await links.open_link(token)).share.profile_id == dad
    _, week = await links.create(olga, vault, dad, expires="7d")
    await links.open_link(week, datetime.now(UTC) + timedelta(days=6))
    with pytest.raises(ShareGone):
        await links.open_link(week, datetime.now(UTC) + timedelta(days=7, seconds=1))
    await links.revoke(olga, row["id"])
    with pytest.raises(ShareGone):
        await links.open_link(token)
    with pytest.raises(ShareGone):
        await links.open_link("x" * 43)


async def test_wrong_passcodes_lock_the_link_until_an_owner_unlocks_it(
    household: Household, vault: Vault
) -> None:
    olga = await caller_named("olga")
    row, token = await links.create(olga, vault, household.profiles["dad"], passcode="open-sesame")
    opened = await links.open_link(token)
    remaining = []
    for n in range(links.LOCK_AFTER):
        # Each try after the free ones waits out the throttle (as if time passed).
        await ShareLink.update({ShareLink.last_failed: 0.0}).where(ShareLink.id == row["id"])
        attempt = await links.try_passcode(opened, f"wrong-{n}")
        remaining.append(attempt.remaining)
        assert not attempt.ok
    assert remaining == list(range(links.LOCK_AFTER - 1, -1, -1))
    locked = await links.try_passcode(await links.open_link(token), "open-sesame")
    assert (locked.ok, locked.outcome) == (False, "locked")
    assert (await links.managed(olga, row["id"]))["status"] == "locked"
    await links.unlock(olga, row["id"])
    right = await links.try_passcode(await links.open_link(token), "open-sesame")
    assert right.ok


async def test_tries_close_together_are_throttled(household: Household, vault: Vault) -> None:
    olga = await caller_named("olga")
    row, token = await links.create(olga, vault, household.profiles["dad"], passcode="open-sesame")
    opened = await links.open_link(token)
    outcomes = [(await links.try_passcode(opened, "nope-nope")).outcome for _ in range(5)]
    assert outcomes[: links.FREE_ATTEMPTS] == ["wrong_passcode"] * links.FREE_ATTEMPTS
    assert outcomes[links.FREE_ATTEMPTS :] == ["throttled", "throttled"]
    # Throttled tries are not checked, so not counted either.
    fresh = await ShareLink.select(ShareLink.failed_attempts).where(ShareLink.id == row["id"])
    assert fresh[0]["failed_attempts"] == links.FREE_ATTEMPTS
