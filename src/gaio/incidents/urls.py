"""Canonical source URLs, so two reports of the same article match whatever the link's dress.

The canonical form is a matching key, not a link to fetch: the scheme is always ``https``,
the host is lower-case without ``www.`` or a default port, tracking parameters and the
fragment are dropped, the remaining query is sorted, percent-encoding is normalised and a
trailing slash is removed. Canonicalising a canonical URL returns it unchanged.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from gaio.errors import InvalidUrl

_TRACKING_WORDS = (
    "fbclid gclid dclid msclkid mc_cid mc_eid igshid ref ref_src cmpid ocid smid _ga _gl yclid spm"
)
_TRACKING = frozenset(_TRACKING_WORDS.split())
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL; raises :class:`InvalidUrl` for anything else."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise InvalidUrl(f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise InvalidUrl(f"{url!r} is not an http(s) URL with a host")
    host = host.rstrip(".")
    host = host.removeprefix("www.")
    if not host:
        raise InvalidUrl(f"{url!r} has no host")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/") or "/"
    pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    query = urlencode(sorted(pairs), quote_via=quote)
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")
