"""What the token APIs share (server/web/api.py and the Paperless-ngx layer, paperless.py): the
token caller, reading a multipart upload within the size limit, and taking in its file."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from server.access.policy import AccessDenied, Caller
from server.access.scope import upload_target
from server.documents.uploads import Saved, save_upload
from server.errors import KinchartError
from server.people.tokens import caller_for_token
from server.runtime import Services
from server.web._common import capped, services_of

FORM_OVERHEAD = 1024 * 1024  # multipart boundaries and small fields around the file


class ApiError(KinchartError):
    """A refused API request: HTTP status, a short code, and a sentence for the person."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail, status)
        self.code = code
        self.detail = detail


async def token_caller(request: Request) -> Caller:
    """The caller an `Authorization: Token …` (or `Bearer …`) header speaks for; 401 else."""
    # "Token" is what Paperless-ngx apps send; "Bearer" what most other clients do.
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() not in ("token", "bearer") or not raw.strip():
        raise ApiError(401, "unauthorized", "Send an API token: `Authorization: Token <token>`.")
    caller = await caller_for_token(raw.strip())
    if caller is None:
        raise ApiError(401, "unauthorized", "This API token is not valid or has been revoked.")
    return caller


async def _target(caller: Caller, slug: str) -> int:
    try:
        profile_id = await upload_target(caller, slug)
    except AccessDenied as exc:
        code = "profile_required" if exc.status == 400 else "forbidden"
        raise ApiError(exc.status, code, exc.user_message) from None
    assert profile_id is not None  # a token never carries admin powers (the triage queue)
    return profile_id


def _too_large(limit: int) -> str:
    return f"The file is larger than {limit // 1048576} MB (the server's KINCHART_MAX_FILE_MB)."


async def read_upload(request: Request) -> tuple[Services, Caller, FormData]:
    """The token's caller and the multipart form, refused (413) as soon as it is too large."""
    caller = await token_caller(request)
    services = services_of(request)
    limit = services.settings.max_file_mb * 1024 * 1024
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise ApiError(413, "too_large", _too_large(limit))
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "bad_request", "Send the file as multipart/form-data.")
    form = await capped(
        request,
        limit + FORM_OVERHEAD,
        lambda: ApiError(413, "too_large", _too_large(limit)),
    ).form(max_files=2, max_fields=20)
    return services, caller, form


async def take(services: Services, caller: Caller, form: FormData) -> Saved:
    """Take in the form's file (`file` or `document`) under the profile the token or the
    `profile` field names; ApiError for every refusal."""
    item = form.get("file") or form.get("document")
    if not isinstance(item, UploadFile):
        raise ApiError(400, "no_file", "Send the file in a multipart field named `file`.")
    profile_id = await _target(caller, str(form.get("profile", "") or ""))
    saved = await save_upload(
        caller, services.intake, item, profile_id, source="api", refuse_unreadable=True
    )
    if saved.problem == "too_large":
        raise ApiError(413, "too_large", _too_large(services.intake.max_bytes))
    if saved.problem == "empty":
        raise ApiError(400, "empty", saved.reason)
    if saved.problem == "unsupported":
        raise ApiError(415, "unsupported", saved.reason)
    if saved.outcome == "rejected":
        raise ApiError(503 if saved.transient else 422, "rejected", saved.reason)
    return saved
