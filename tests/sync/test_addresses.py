"""Which addresses each WebDAV address policy lets a source connect to."""

from __future__ import annotations

import ipaddress

import pytest

from sync.addresses import refusal

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    ("address", "lan", "public", "any_"),
    [
        ("93.184.215.14", True, True, True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True, True, True),
        ("192.168.1.20", True, False, True),
        ("10.0.0.5", True, False, True),
        ("fd00::5", True, False, True),
        ("100.64.0.1", True, False, True),  # carrier-grade NAT, as Tailscale uses
        ("127.0.0.1", True, False, True),
        ("::1", True, False, True),
        ("169.254.169.254", False, False, True),  # cloud metadata
        ("::ffff:169.254.169.254", False, False, True),
        ("fe80::1", False, False, True),
        ("0.0.0.0", False, False, True),
        ("224.0.0.1", False, False, True),
    ],
)
def test_policies(address: str, lan: bool, public: bool, any_: bool) -> None:
    ip = ipaddress.ip_address(address)
    assert (not refusal(ip, "lan"), not refusal(ip, "public"), not refusal(ip, "any")) == (
        lan,
        public,
        any_,
    )
