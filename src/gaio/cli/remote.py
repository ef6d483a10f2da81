"""Fetching a published document (an issuer's keys, a status list), bounded.

Only ``https`` URLs are fetched, or ``http`` on a loopback host (a server on this machine, as in
tests); redirects are not followed; the answer must arrive within the timeout and be a JSON
object of at most :data:`MAX_DOCUMENT` bytes. The system's certificate store is used (so
``SSL_CERT_FILE`` is honoured). Anything else is :class:`~gaio.errors.Unreachable`.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from typing import Any
from urllib.parse import urlsplit

from gaio.errors import InvalidInput, Unreachable

MAX_DOCUMENT = 2 * 1024 * 1024
TIMEOUT = 10.0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and _loopback(host):
        return url
    raise InvalidInput(f"{url[:200]!r}: only https URLs are fetched (http only on this machine)")


def fetch_json(url: str, *, timeout: float = TIMEOUT) -> dict[str, Any]:
    """GET ``url`` and parse it as a JSON object, within the bounds above."""
    import httpx

    check_url(url)
    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=False, verify=ssl.create_default_context()
            ) as client,
            client.stream("GET", url, headers={"Accept": "application/json"}) as response,
        ):
            if response.status_code != 200:
                raise Unreachable(f"{url}: HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_DOCUMENT:
                    raise Unreachable(f"{url}: larger than {MAX_DOCUMENT} bytes")
    except httpx.HTTPError as exc:
        raise Unreachable(f"{url}: {exc.__class__.__name__}: {str(exc)[:200]}") from None
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise Unreachable(f"{url}: the answer is not JSON") from None
    if not isinstance(data, dict):
        raise Unreachable(f"{url}: the answer is not a JSON object")
    return data
