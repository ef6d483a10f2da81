"""URL canonicalisation and entity names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaio.errors import InvalidUrl
from gaio.incidents.names import name_key, slug
from gaio.incidents.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "http://WWW.Example.com:80/a/b/?utm_source=x&b=2&a=1#frag",
            "https://example.com/a/b?a=1&b=2",
        ),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://news.example.org/story%20one?fbclid=abc", "https://news.example.org/story%20one"),
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
    ],
)
def test_canonical_forms(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("bad", ["ftp://example.com/x", "not a url", "https://", "http://:80/"])
def test_non_http_urls_are_refused(bad: str) -> None:
    with pytest.raises(InvalidUrl):
        canonical_url(bad)


_part = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    host=st.from_regex(r"(www\.)?[a-z][a-z0-9-]{0,10}\.(com|org|de)", fullmatch=True),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_part, max_size=4),
    query=st.lists(st.tuples(_part, _part), max_size=4),
    fragment=_part,
)
def test_canonicalisation_is_idempotent(
    scheme: str, host: str, port: str, path: list[str], query: list[tuple[str, str]], fragment: str
) -> None:
    from urllib.parse import quote, urlencode

    url = f"{scheme}://{host}{port}/" + "/".join(quote(p) for p in path)
    if query:
        url += "?" + urlencode(query)
    url += "#" + quote(fragment)
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert once.startswith("https://") and "#" not in once and "www." not in once.split("/")[2]


def test_entity_names_fold_to_one_key() -> None:
    assert name_key("OpenAI") == name_key("Open AI") == name_key("open-ai") == "openai"
    assert name_key("Société Générale") == "societegenerale"
    assert slug("Open AI") == "open-ai"
    assert name_key("Google") != name_key("Goggle")
