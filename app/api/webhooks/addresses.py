"""Where a webhook may be sent (S10, server-side request forgery): an `https` address whose host resolves only to
public addresses. The check runs when an endpoint is saved and again before every attempt (a name can be pointed
elsewhere meanwhile), and the connection goes to the very address that was checked.

An IPv6 address that carries an IPv4 one reaches that IPv4 address: NAT64 (64:ff9b::/96) and 6to4 (2002::/16) are
public only when the IPv4 address they carry is; the local NAT64 prefix (64:ff9b:1::/48), IPv4-compatible (::/96)
and IPv4-translated (::ffff:0:0:0/96) addresses are never (`ipaddress` calls them all global).

`WEBHOOK_ALLOW_LOOPBACK` (the tests, a developer's machine) also lets `http` or `https` reach 127.0.0.1 / ::1.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from app.core.domain import DomainError


class AddressRefused(DomainError):
    """A webhook address that may not be used; `field` is always "url"."""


@dataclass(frozen=True)
class Target:
    """A checked address: the URL's parts and the IP address to connect to."""

    parts: SplitResult
    address: str

    @property
    def port(self) -> int:
        return self.parts.port or (443 if self.parts.scheme == "https" else 80)


def _resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise AddressRefused("url_unresolved", "url", host=host) from error
    return list(dict.fromkeys(info[4][0] for info in found))


#: IPv6 ranges that carry an IPv4 address where a receiver has no business: never a webhook's address.
_NEVER = tuple(ipaddress.ip_network(n) for n in ("64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return True
    if any(ip in network for network in _NEVER):
        return False
    carried = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else ip.sixtofour
    return carried is None or _public(carried)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def check_url(url: str, *, allow_loopback: bool) -> Target:
    """The address to connect to for `url`, or AddressRefused saying why it may not be used."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError as error:
        raise AddressRefused("url_invalid", "url") from error
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise AddressRefused("url_invalid", "url")
    if parts.username or parts.password:
        raise AddressRefused("url_credentials", "url")
    if parts.scheme == "http" and not allow_loopback:
        raise AddressRefused("url_not_https", "url")
    addresses = _resolve(parts.hostname, port or 443)
    if not addresses:
        raise AddressRefused("url_unresolved", "url", host=parts.hostname)
    ips = [_ip(a) for a in addresses]
    loopback = all(ip.is_loopback for ip in ips)
    if allow_loopback and loopback:
        return Target(parts, str(ips[0]))
    if parts.scheme == "http":
        raise AddressRefused("url_not_https", "url")
    for ip in ips:
        if not _public(ip):
            raise AddressRefused("url_private", "url", host=parts.hostname, address=str(ip))
    return Target(parts, str(ips[0]))
