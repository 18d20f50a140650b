"""Which network addresses a WebDAV source may connect to, checked when each connection opens.

Each connection resolves the name once and connects to the address it checked, so a name
cannot pass as an allowed address and then be fetched from a refused one (DNS rebinding).

Policies: `lan` (the default: internet, private LAN and this machine, since NAS WebDAV
servers live on the LAN), `public` (internet only), `any`. Link-local addresses (the cloud
metadata service at 169.254.169.254) need `any`.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import httpcore
import httpx

POLICIES = ("lan", "public", "any")
IP = ipaddress.IPv4Address | ipaddress.IPv6Address
_default = "lan"


class AddressRefused(Exception):
    """The server's address is of a kind the policy does not allow."""

    def __init__(self, host: str, address: str, kind: str, policy: str) -> None:
        super().__init__(f"{host} is at {address}, {kind}")
        self.address, self.kind, self.policy = address, kind, policy


def set_default(policy: str) -> None:
    """The policy of every Share not given one (the runtime sets it from the settings)."""
    global _default
    if policy not in POLICIES:
        raise ValueError(f"unknown address policy {policy!r}")
    _default = policy


def default() -> str:
    return _default


def refusal(ip: IP, policy: str) -> str:
    """Why `policy` refuses `ip` (a kind of address, for the message), or "" if it does not."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if policy == "any":
        return ""
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_loopback:  # before `is_reserved`: ::1 is inside the reserved ::/8
        return "" if policy == "lan" else "this machine's own address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "" if policy == "lan" else "a private (LAN) address"
    return ""


def transport(policy: str) -> httpx.HTTPTransport:
    """An httpx transport that connects only to addresses `policy` allows."""
    if policy not in POLICIES:
        raise ValueError(f"unknown address policy {policy!r}")
    t = httpx.HTTPTransport()
    # httpx has no public way to give its connection pool a network backend; httpcore's
    # pool takes one, so it is set on the pool httpx made (checked by the tests).
    pool = t._pool
    assert isinstance(pool, httpcore.ConnectionPool) and hasattr(pool, "_network_backend")
    pool._network_backend = _Guarded(policy)
    return t


class _Guarded(httpcore.NetworkBackend):
    def __init__(self, policy: str) -> None:
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        refused: tuple[str, str] | None = None
        failed: Exception | None = None
        for *_, sockaddr in found:
            address = str(sockaddr[0])
            why = refusal(ipaddress.ip_address(address.split("%")[0]), self.policy)
            if why:
                refused = refused or (address, why)
                continue
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failed = exc
        if failed is not None:
            raise failed
        assert refused is not None
        raise AddressRefused(host, refused[0], refused[1], self.policy)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("WebDAV sources do not use unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
