"""Where webhooks may go: http(s) URLs whose host resolves only to public addresses.

A URL naming a private, loopback, link-local or otherwise reserved address (or a host that
resolves to one) would let anyone with an API key make the server call its own network
(SSRF). Checked when an endpoint is saved and again before every attempt (DNS can change);
WEBHOOK_ALLOW_PRIVATE_URLS=1 lifts it for development and tests.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def target_refusal(url: str, *, must_resolve: bool = True) -> str | None:
    """Why `url` may not receive webhooks, or None. An endpoint may be saved before its host
    resolves (`must_resolve=False`); it is not sent to until it does."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Enter a valid URL."
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "Enter an http:// or https:// URL."
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        return f"{parts.hostname} does not resolve." if must_resolve else None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            return f"{parts.hostname} is a private or reserved address; webhooks go to public hosts only."
    return None
