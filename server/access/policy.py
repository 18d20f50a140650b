"""The rules: roles, what each action needs, and the caller (DESIGN.md, Access model)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from server.db.tables import CAREGIVER, OWNER, ROLES, VIEWER
from server.errors import PermissionDenied

__all__ = [
    "CAREGIVER",
    "NEEDS",
    "OWNER",
    "RANK",
    "ROLES",
    "VIEWER",
    "AccessDenied",
    "Caller",
    "ShareCaller",
    "check_move",
    "may_file",
    "require_admin",
]

RANK = {VIEWER: 1, CAREGIVER: 2, OWNER: 3}
# The least role each action needs on a profile.
NEEDS = {
    "view": VIEWER,
    "download": VIEWER,
    "upload": CAREGIVER,
    "edit": CAREGIVER,
    "share": CAREGIVER,
    "audit": OWNER,
    "grant": OWNER,
    "delete": OWNER,
    "manage": OWNER,
}


class AccessDenied(PermissionDenied):
    """The caller may not do this; `status` is 404 when even existence must not show."""

    user_message = "Not found."
    status = 404


@dataclass(frozen=True)
class Caller:
    """A logged-in user and their roles, by profile id."""

    user_id: int
    username: str
    display_name: str = ""
    is_admin: bool = False
    roles: Mapping[int, str] = field(default_factory=dict)

    @property
    def visible(self) -> frozenset[int]:
        return frozenset(self.roles)

    def may(self, action: str, profile_id: int | None) -> bool:
        if profile_id is None:
            # Unrouted documents: only admins see them, to triage them.
            return self.is_admin and action in ("view", "download", "triage")
        role = self.roles.get(profile_id)
        return role is not None and RANK[role] >= RANK[NEEDS[action]]

    def role(self, profile_id: int) -> str | None:
        return self.roles.get(profile_id)


@dataclass(frozen=True)
class ShareCaller:
    """An anonymous reader holding a share link: a capability to read one profile's chosen
    parts (its clinician's summary, the documents the link names, labs and vitals if chosen).

    It is no `Caller`: no route or feature that takes a `Caller` accepts it, so it can never
    write, navigate, search or list; the share routes ask it what it may read.
    """

    link_id: int
    profile_id: int
    documents: frozenset[int] = frozenset()
    labs: bool = True
    vitals: bool = True

    def may_document(self, doc_id: int, profile_id: int | None) -> bool:
        """One of the chosen documents, and still filed under the shared profile."""
        return doc_id in self.documents and profile_id == self.profile_id


def require_admin(caller: Caller) -> None:
    """Household administration (users, sources, triage) is for admins; it opens no records."""
    if not caller.is_admin:
        raise AccessDenied("Only a household admin can do this.", 403)


def check_move(caller: Caller, current: int | None) -> None:
    """May the caller take a document away from where it is filed (`None`: the triage queue)?"""
    if current is None and not caller.is_admin:
        raise AccessDenied("No such document.", 404)
    if current is not None and not caller.may("edit", current):
        raise AccessDenied("Your role on this profile does not allow this.", 403)


def may_file(caller: Caller, current: int | None, target: int) -> bool:
    """The triage rule: may a document filed under `current` go to the profile `target`?

    Admins file documents from the triage queue under any profile (admin alone opens no
    records: the document was nobody's yet); everyone else only where they may upload.
    """
    return caller.may("upload", target) or (caller.is_admin and current is None)
