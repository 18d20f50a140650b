"""SMART Health Links (HL7 SMART Health Cards and Links IG, STU1): the `shlink:/` payload and
the encrypted files of a manifest. Encryption is joserfc's compact JWE (`dir`, `A256GCM`)."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from joserfc import jwe
from joserfc.jwk import OctKey

PREFIX = "shlink:/"
LABEL_MAX = 80  # the IG's limit
FHIR_JSON = "application/fhir+json"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload(
    manifest_url: str, key: bytes, *, exp: datetime | None, passcode: bool, label: str
) -> dict[str, Any]:
    """The SHL payload: manifest URL, key, expiry (epoch seconds), flags and label."""
    flags = ("" if exp is not None else "L") + ("P" if passcode else "")
    body: dict[str, Any] = {"url": manifest_url, "key": b64url(key)}
    if exp is not None:
        body["exp"] = int(exp.timestamp())
    if flags:
        body["flag"] = flags
    if label:
        body["label"] = label[:LABEL_MAX]
    body["v"] = 1
    return body


def shlink(body: dict[str, Any]) -> str:
    """`shlink:/` and the payload's JSON, base64url-encoded."""
    return PREFIX + b64url(json.dumps(body, separators=(",", ":")).encode())


def decode(uri: str) -> dict[str, Any]:
    """The payload of a `shlink:/…` URI, alone or after a viewer URL's `#`."""
    tail = uri.split("#", 1)[-1]
    if not tail.startswith(PREFIX):
        raise ValueError("not a SMART Health Link")
    decoded: dict[str, Any] = json.loads(unb64url(tail[len(PREFIX) :]))
    return decoded


def encrypt(key: bytes, content: bytes, content_type: str = FHIR_JSON) -> str:
    """`content` as compact JWE for the link's key (`dir`, `A256GCM`, `cty` its type)."""
    header = {"alg": "dir", "enc": "A256GCM", "cty": content_type}
    return jwe.encrypt_compact(header, content, OctKey.import_key(key))


def manifest(files: list[tuple[str, str]], *, last_updated: datetime) -> dict[str, Any]:
    """The manifest answer: each file embedded as JWE. The summary changes as facts do."""
    stamp = last_updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "status": "can-change",
        "files": [
            {"contentType": kind, "embedded": jwe_text, "lastUpdated": stamp}
            for kind, jwe_text in files
        ],
    }
