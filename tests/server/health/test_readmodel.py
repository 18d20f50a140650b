"""The health views' cache (health.readmodel) is never stale: every write path that can change
what the Summary, Lab overview, medications page, Timeline or share page show gives the
profile a new `read_version` (database triggers), and after each one the cached views equal
the full computation from every fact of the profile."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from server.db.tables import EXTRACTED, Document, Fact, Profile
from server.documents import filing, queue
from server.documents import service as documents
from server.facts import persist, service
from server.facts.patient import MISMATCH
from server.health import (
    clinician,
    labs,
    latest,
    medications,
    readmodel,
    summary,
    timeline,
    timeline_read,
)
from server.health.records import profile_documents, profile_facts
from server.runtime import Services
from server.shares import archive
from server.shares.archive_import import import_archive
from tests.fixtures.clinical_profile import make_clinical
from tests.fixtures.facts import lab_facts
from tests.fixtures.people import Household, caller_named
from tests.server.shares.test_archive import with_originals


def _items(items: list[summary.Item]) -> list[Any]:
    return [
        (
            i.key,
            i.title,
            i.detail,
            i.latest.id,
            [(m.id, m.status) for m in i.mentions],
            i.conflicted,
        )
        for i in items
    ]


def _latest(rows: list[labs.Latest]) -> list[Any]:
    return [
        (r.key, r.title, r.fact.id, r.fact.status, r.fact.display, r.count, r.direction,
         r.previous.id if r.previous else None)
        for r in rows
    ]  # fmt: skip


def _summary(s: summary.Summary) -> Any:
    lists = ("medications", "older_medications", "stopped", "problems", "past_problems",
             "allergies", "immunizations")  # fmt: skip
    return (
        {name: _items(getattr(s, name)) for name in lists},
        [f.id for f in s.none_known],
        s.medications_as_of,
        [c.message for c in s.conflicts],
        _latest(s.labs),
    )


def _timeline(t: timeline.Timeline) -> Any:
    days = [
        (d.day, [(e.document["id"] if e.document else None, e.own_day,
                  [(f.id, f.status) for f in e.facts])
                 for e in d.entries])
        for d in t.days
    ]  # fmt: skip
    return days, t.kinds, t.years, t.has_next


async def _cached(profile: int) -> Any:
    """What the pages show, through the cache."""
    meds = await medications.of_profile(profile)
    return (
        _summary(await clinician.current_summary(profile)),
        _latest(await latest.overview(profile, "lab")),
        _latest(await latest.overview(profile, "vital")),
        _meds(meds),
        _timeline(await timeline_read.page(profile)),
    )


def _meds(m: medications.Medications) -> Any:
    def rows(items: list[medications.Medication]) -> list[Any]:
        return [(*_items([x.item])[0], x.since, len(x.conflicts)) for x in items]

    return (rows(m.current), rows(m.older), rows(m.stopped), m.as_of,
            [c.message for c in m.conflicts], [f.id for f in m.history])  # fmt: skip


async def _full(profile: int) -> Any:
    """The same from every fact of the profile, without the cache."""
    facts = await profile_facts(profile)
    lists = [f for f in facts if f.kind in summary.LIST_KINDS]
    return (
        _summary(summary.summarise(lists, labs.overview(facts, "lab"))),
        _latest(labs.overview(facts, "lab")),
        _latest(labs.overview(facts, "vital")),
        _meds(medications.build(facts)),
        _timeline(timeline.build(await profile_documents(profile), facts)),
    )


async def _version(profile: int) -> int:
    got = await readmodel.version(profile)
    assert got is not None
    return got


class Steps:
    """Runs write paths one by one, checking the version and the views after each."""

    def __init__(self, profile: int) -> None:
        self.profile = profile
        self.seen: list[Any] = []
        self.names: list[str] = []

    async def start(self) -> None:
        self.version = await _version(self.profile)
        self.views = await _cached(self.profile)  # kept in the cache now
        assert self.views == await _full(self.profile)

    async def after(self, name: str, *, changes_views: bool = True) -> None:
        version = await _version(self.profile)
        assert version != self.version, f"{name}: the read version did not change"
        views = await _cached(self.profile)
        assert views == await _full(self.profile), f"{name}: the cache serves stale views"
        if changes_views:
            assert views != self.views, f"{name}: the write changed nothing the pages show"
        self.version, self.views = version, views
        self.names.append(name)


async def test_every_write_path_changes_the_version_and_the_cached_views(
    app_services: Services, household: Household, tmp_path: Path
) -> None:
    dad, kid, doc = household.profiles["dad"], household.profiles["kid"], household.docs["dad"]
    owner = await caller_named("olga")
    engine = app_services.engine
    steps = Steps(dad)
    await steps.start()

    # Extraction storing facts (a worker; structured imports store theirs the same way).
    await persist.store(engine, doc, lab_facts())
    await steps.after("extraction")
    facts = {
        r["name"]: r["id"]
        for r in await Fact.select(Fact.id, Fact.name).where(Fact.document == doc)
    }
    glucose = facts["Glucose"]
    # The report names another patient than dad: a person confirms it is his.
    await documents.confirm_belongs(owner, engine, doc)
    await steps.after("patient confirmed")

    # Review: confirm, correct, reject, reopen, confirm-all, reject-all.
    await service.confirm(owner, glucose)
    await steps.after("confirm")
    await service.correct(owner, glucose, {"value": "123", "unit": "mg/dL"})
    await steps.after("correct")
    await service.reject(owner, glucose)
    await steps.after("reject")
    await service.reopen(owner, glucose)
    await steps.after("reopen")
    await service.confirm_document(owner, doc)
    await steps.after("confirm all")

    # Medications entered, edited and stopped by hand.
    added = await medications.add(owner, "dad", {"name": "Metformin", "strength": "500 mg"})
    await steps.after("medication added")
    await service.correct(owner, added["id"], {"strength": "1000 mg"})
    await steps.after("medication edited")
    await medications.stop(owner, "dad", added["id"], "2026-01-02")
    await steps.after("medication stopped")
    typed = await service.enter(owner, "dad", "allergy", {"name": "Penicillin", "state": "active"})
    await steps.after("fact entered")
    await service.change_kind(owner, typed["id"], "condition")
    await steps.after("kind changed")

    # A document naming someone else (its facts leave the views), then confirmed as dad's.
    await Document.update({Document.patient_check: MISMATCH}).where(Document.id == doc)
    await steps.after("patient mismatch")
    await documents.confirm_belongs(owner, engine, doc)
    await steps.after("patient confirmed again")

    # Document state: read again (queued, out of the ready documents), then failed.
    await queue.reread([doc])
    await steps.after("reprocess")
    await Document.update({Document.state: "failed"}).where(Document.id == doc)
    await steps.after("failure", changes_views=False)  # queued and failed: both unread
    await Document.update({Document.state: "ready"}).where(Document.id == doc)
    await steps.after("ready again")
    await Document.update({Document.doc_date: date(2020, 5, 6)}).where(Document.id == doc)
    await steps.after("document date read")

    # Moved to another profile: both profiles' versions change.
    kid_before = await _version(kid)
    await filing.refile(engine, doc, kid, by_person=True)
    await steps.after("moved away")
    assert await _version(kid) != kid_before
    assert await _cached(kid) == await _full(kid)
    await filing.refile(engine, doc, dad, by_person=True)
    await steps.after("moved back")

    # An archive imported into the profile.
    c = await make_clinical()
    await with_originals(app_services.store, c, tmp_path)
    target = tmp_path / "grace.zip"
    await archive.build(app_services.store, c.profile, target, now=None)
    done = await import_archive(app_services.intake, target, dad)
    assert done.facts_restored > 0
    await steps.after("archive import")

    # Deleted rows (a purge; a document's facts go with it by cascade).
    await Fact.delete().where(Fact.id == glucose)
    await steps.after("fact deleted")
    await Document.delete().where(Document.id == doc)
    await steps.after("document deleted")
    assert len(steps.names) == 23

    # Unrelated writes leave the version alone: the cache is used.
    version = await _version(dad)
    await Profile.update({Profile.blood_type: "A+"}).where(Profile.id == dad)
    await Fact.update({Fact.status: EXTRACTED}).where(Fact.profile == kid)
    assert await _version(dad) == version
    # A write elsewhere that changes the views says so itself (documented for such writes).
    await readmodel.bump(dad)
    assert await _version(dad) != version


async def test_the_cache_is_bounded_and_per_database(app_services: Services) -> None:
    from server.people import household

    profiles = [(await household.add_profile(f"P{n}", slug=f"p{n}"))["id"] for n in range(6)]
    calls: list[int] = []

    def compute(p: int) -> Any:
        async def run() -> int:
            calls.append(p)
            return p * 10

        return run

    readmodel.clear()
    for p in profiles:
        assert await readmodel.cached(p, "x", compute(p)) == p * 10
    assert calls == profiles
    assert len(readmodel._kept) == readmodel.PROFILES
    # The last ones are kept, the first ones were dropped and computed again.
    assert await readmodel.cached(profiles[-1], "x", compute(profiles[-1])) == profiles[-1] * 10
    assert calls == profiles
    await readmodel.cached(profiles[0], "x", compute(profiles[0]))
    assert calls == [*profiles, profiles[0]]
    for n in range(readmodel.RESULTS + 5):
        await readmodel.cached(profiles[0], n, compute(profiles[0]))
    assert all(len(results) <= readmodel.RESULTS for _, results in readmodel._kept.values())
