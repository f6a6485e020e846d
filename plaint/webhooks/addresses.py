"""Which webhook URLs Plaint may call: no server-side request forgery.

An organisation admin types a URL and Plaint's servers POST to it. Without a check, that URL
could name the server itself (``https://127.0.0.1:8000/admin``), the cloud's metadata service
(``http://169.254.169.254/``) or a machine of the private network behind Plaint. So, unless
``PLAINT_WEBHOOKS_ALLOW_PRIVATE`` is on (tests, a developer's laptop):

- the scheme is ``https``; no user name or password in the URL;
- a host written as an IP address, or every address a host name resolves to, is a public unicast
  address (not loopback, private, link-local, shared, multicast, reserved or unspecified; an
  IPv4-mapped IPv6 address is judged by its IPv4 address);
- ``localhost`` and names under ``.localhost`` are refused without asking DNS.

The check runs at registration *and* before every attempt, and the sender connects to the very
address that was checked (``Target.address``), so that a name that resolves to a public address
at the check and to a private one a moment later (DNS rebinding) cannot steer the request.

No ORM here; resolution is a parameter, so that tests never ask real DNS.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext

MAX_URL_LENGTH = 2000

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class UrlRefused(Exception):
    """A URL Plaint will not call; ``code`` is the API's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Target:
    """Where a delivery goes: the URL's parts, and the address checked for this attempt."""

    scheme: str
    host: str  # as written, for the Host header, SNI and the certificate check
    port: int
    path: str  # with the query string
    address: str  # the IP address to connect to


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for ``host`` (empty if none)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet that a webhook may be sent to."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
    return address.is_global and not (
        address.is_multicast or address.is_loopback or address.is_link_local
        or address.is_reserved or address.is_unspecified or address.is_private
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_url(url: str, *, allow_private: bool, resolve: Resolver = system_resolver) -> Target:
    """The target of ``url`` if Plaint may call it; else raise ``UrlRefused``."""
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused("webhook_url_invalid", gettext("The URL is too long."))
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UrlRefused("webhook_url_invalid", gettext("This is not a valid URL.")) from exc
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes:
        raise UrlRefused("webhook_url_not_https", gettext("The URL must start with https://."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UrlRefused("webhook_url_invalid", gettext("This is not a valid URL."))
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("webhook_url_invalid",
                         gettext("The URL may not hold a user name or a password."))
    if parts.fragment:
        raise UrlRefused("webhook_url_invalid", gettext("The URL may not hold a fragment (#…)."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    elif not allow_private and (host.lower() == "localhost" or host.lower().endswith(".localhost")):
        raise UrlRefused("webhook_url_private", gettext("The URL must name a public address."))
    else:
        addresses = [a for a in (_literal(r) for r in resolve(host, port)) if a is not None]
        if not addresses:
            raise UrlRefused("webhook_url_unresolvable",
                             gettext("The URL's host name does not resolve to any address."))
    if not allow_private and not all(is_public(a) for a in addresses):
        raise UrlRefused("webhook_url_private", gettext("The URL must name a public address."))
    return Target(scheme=parts.scheme, host=host, port=port, path=path, address=str(addresses[0]))
