"""Where a webhook may go. In production (WEBHOOKS_PUBLIC_ONLY): https only, and every address
the host resolves to must be public, so an admin account cannot make the server call its own
network (cloud metadata at 169.254.169.254, a database on 10.x, itself). Checked when an
endpoint is registered and again before every attempt, because DNS answers can change; the
attempt then connects to the very addresses that were checked (delivery.py)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l

from helpcenter.services.errors import ServiceError

MAX_URL_CHARS = 2000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(ServiceError):
    """The address is not one webhooks may be sent to; the message says why, `detail` names
    the host or address for the attempt log (which shows its own translated label)."""

    def __init__(self, message, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class HostNotFound(AddressRefused):
    """The host name does not resolve (now)."""


def public_only() -> bool:
    return bool(current_app.config["WEBHOOKS_PUBLIC_ONLY"])


def checked_url(url: str) -> SplitResult:
    """The address's parts, if its form is acceptable: https (or http to this machine outside
    production), a host, no user name or password, a valid port."""
    url = (url or "").strip()
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if len(url) > MAX_URL_CHARS or parts.scheme not in ("https", "http") or not parts.hostname:
        raise AddressRefused(_l("Enter a full address that starts with https://."))
    if port == -1 or port == 0:
        raise AddressRefused(_l("The port in this address is not valid."))
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(_l("Leave the user name and password out of the address."))
    if parts.scheme == "http" and (public_only() or parts.hostname not in LOOPBACK_HOSTS):
        raise AddressRefused(
            _l(
                "Use https://. Plain http:// is allowed only to 127.0.0.1 or localhost, and not in production."
            ),
            detail=f"http://{parts.hostname}",
        )
    return parts


def is_public(address: IPAddress) -> bool:
    """False for private, loopback, link-local, multicast, reserved and unspecified addresses,
    including IPv4 ones written as IPv6 (::ffff:10.0.0.1)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to now, in the resolver's order, without repeats."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        message = _l("The host %(host)s could not be found.", host=host)
        raise HostNotFound(message, detail=host) from error
    found = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return list(dict.fromkeys(found))


def default_port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def allowed_addresses(url: str) -> list[IPAddress]:
    """The addresses a delivery to `url` may connect to: all that the host resolves to, each
    one public when WEBHOOKS_PUBLIC_ONLY is on. Raises AddressRefused."""
    parts = checked_url(url)
    assert parts.hostname  # checked_url refuses an address without a host
    found = resolve(parts.hostname, default_port(parts))
    if public_only():
        for address in found:
            if not is_public(address):
                raise AddressRefused(
                    _l(
                        "%(host)s leads to %(address)s, a private, local or reserved address. Webhooks go only to public addresses.",
                        host=parts.hostname,
                        address=str(address),
                    ),
                    detail=f"{parts.hostname} → {address}",
                )
    return found


def check_for_registration(url: str) -> str:
    """The address as it will be stored, if webhooks may go there now. In production the host
    must resolve, to public addresses only; elsewhere it need not resolve yet."""
    parts = checked_url(url)
    if public_only():
        allowed_addresses(url)
    return parts.geturl()
