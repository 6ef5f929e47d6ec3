"""Which network addresses the service may connect to: public ones only.

Python's ``is_global`` judges an IPv6 address by its own prefix, so an IPv6 form that carries
an IPv4 address inside it (NAT64 ``64:ff9b::a9fe:a9fe`` is 169.254.169.254 through a
translator) passes as "global". Every such form is unwrapped here and the IPv4 address inside
is judged instead; ranges that are never a public web server (site-local, unique-local,
link-local, multicast, documentation, reserved) are refused by name, whatever Python's tables
say in the version that runs.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from reader_service.errors import UnsafeURLError

IPAddress = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network

# IPv6 prefixes whose last 32 bits are an IPv4 address (RFC 6052, RFC 4291, RFC 2765).
_V4_IN_LAST_32_BITS = (
    IPv6Network("64:ff9b::/96"),  # NAT64 well-known prefix
    IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (SIIT)
    IPv6Network("::/96"),  # IPv4-compatible (deprecated)
)
_SIX_TO_FOUR = IPv6Network("2002::/16")  # RFC 3056: the IPv4 address is bits 16..47
_TEREDO = IPv6Network("2001::/32")  # RFC 4380: the client's address, obfuscated

_REFUSED_V6 = (
    IPv6Network("64:ff9b:1::/48"),  # NAT64 local-use prefix (RFC 8215): a private translator
    IPv6Network("fec0::/10"),  # site-local (deprecated, still routed inside some networks)
    IPv6Network("fc00::/7"),  # unique local addresses
    IPv6Network("fe80::/10"),  # link-local
    IPv6Network("ff00::/8"),  # multicast
    IPv6Network("2001:db8::/32"),  # documentation
    IPv6Network("3fff::/20"),  # documentation (RFC 9637)
    IPv6Network("100::/64"),  # discard-only
    IPv6Network("2001::/23"),  # IETF protocol assignments (Teredo unwrapped before this)
    IPv6Network("5f00::/16"),  # segment routing (SRv6) SIDs
)
_REFUSED_V4 = (
    IPv4Network("0.0.0.0/8"),
    IPv4Network("10.0.0.0/8"),
    IPv4Network("100.64.0.0/10"),  # carrier-grade NAT
    IPv4Network("127.0.0.0/8"),
    IPv4Network("169.254.0.0/16"),  # link-local, cloud metadata
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.0.0.0/24"),  # IETF protocol assignments
    IPv4Network("192.0.2.0/24"),  # documentation
    IPv4Network("192.88.99.0/24"),  # 6to4 relay anycast (deprecated)
    IPv4Network("192.168.0.0/16"),
    IPv4Network("198.18.0.0/15"),  # benchmarking
    IPv4Network("198.51.100.0/24"),  # documentation
    IPv4Network("203.0.113.0/24"),  # documentation
    IPv4Network("224.0.0.0/4"),  # multicast
    IPv4Network("240.0.0.0/4"),  # reserved, broadcast
)


def embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, or None when it carries none."""
    if ip in _TEREDO:
        return ip.teredo[1] if ip.teredo else None
    if ip in _SIX_TO_FOUR:
        return IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)
    for network in _V4_IN_LAST_32_BITS:
        if ip in network:
            if network.prefixlen == 96 and int(ip) >> 32 == 0 and int(ip) <= 1:
                return None  # :: and ::1 are not IPv4-compatible forms
            return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def unsafe_reason(address: str, allow_loopback: bool = False) -> str | None:
    """Why the service must not connect to ``address`` (None: a public address).

    ``allow_loopback`` lets 127.0.0.0/8 and ::1 through (development and tests), whether
    written plainly or inside an IPv6 form.
    """
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "không phải địa chỉ IP"
    if isinstance(ip, IPv6Address):
        if ip == IPv6Address("::1"):
            return None if allow_loopback else "địa chỉ nội bộ (loopback)"
        inner = embedded_ipv4(ip)
        if inner is not None:
            ip = inner
        else:
            if ip.is_unspecified or any(ip in network for network in _REFUSED_V6):
                return "địa chỉ IPv6 nội bộ hoặc dành riêng"
            if not ip.is_global or ip.is_multicast:
                return "địa chỉ IPv6 không công khai"
            return None
    if ip.is_loopback and allow_loopback:
        return None
    if any(ip in network for network in _REFUSED_V4) or not ip.is_global:
        return "địa chỉ nội bộ hoặc dành riêng"
    return None


def check_address(address: str, allow_loopback: bool = False) -> None:
    """Raises UnsafeURLError unless ``address`` is one the service may connect to."""
    reason = unsafe_reason(address, allow_loopback)
    if reason is not None:
        # A page on this very machine is an operator trying the service: say how to allow it.
        hint = (
            " Để thử với trang trên chính máy này, đặt READER_ALLOW_LOOPBACK=1."
            if _is_loopback(address)
            else ""
        )
        raise UnsafeURLError(
            f"Không được phép đọc trang ở địa chỉ nội bộ ({address}: {reason}); "
            f"chỉ đọc trang công khai.{hint}"
        )


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or CIDR blocks (settings); ValueError names a bad entry."""
    networks: list[Network] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"'{entry}' không phải địa chỉ IP hay dải CIDR") from exc
    return tuple(networks)
