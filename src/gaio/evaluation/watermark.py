"""Detection of declared, open text watermarks: the green-list scheme of Kirchenbauer et al.,
"A Watermark for Large Language Models" (ICML 2023).

A generator that knows the key prefers, at each step, tokens on a "green list" drawn from the
key and the previous token, a fraction ``gamma`` of the vocabulary. Detection counts the green
tokens among the ``T`` scored ones and tests against chance:
``z = (green - gamma*T) / sqrt(T*gamma*(1-gamma))``, one-sided p-value ``1 - Phi(z)``.

Membership is decided per (previous token, token) pair with a keyed hash (HMAC-SHA-256 below a
``gamma`` threshold), which draws a pseudo-random subset of fraction ``gamma`` for each context
without needing the vocabulary, so any declared tokenizer works. The built-in tokenizers are
``whitespace`` (lower-cased words) and ``utf8-bytes``; a model's own tokenizer would plug in the
same way. A key that is a published default (such as the reference implementation's hash key
15485863) proves nothing about who marked the text, and the verdict says so.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from gaio.errors import InvalidInput

PUBLIC_DEFAULT_KEYS = frozenset({"15485863", "0", "42", "", "default", "secret", "key"})
"""Keys published as defaults (the reference implementation's ``hash_key=15485863``) or trivially
guessable: anyone can make text that "carries" them."""

Tokenizer = Literal["whitespace", "utf8-bytes"]


class WatermarkScheme(BaseModel):
    """The declared scheme: which key, tokenizer and parameters a provider says it uses."""

    scheme: Literal["kirchenbauer-2023"] = "kirchenbauer-2023"
    key: str = Field(max_length=500)
    tokenizer: Tokenizer = "whitespace"
    gamma: float = Field(0.25, gt=0, lt=1, description="fraction of the vocabulary that is green")
    z_threshold: float = Field(4.0, gt=0, description="z-score from which the text is marked")


class WatermarkVerdict(BaseModel):
    version: int = 1
    scheme: WatermarkScheme
    tokens_scored: int
    green: int
    z_score: float | None
    p_value: float | None
    detected: bool
    public_default_key: bool
    notes: list[str] = Field(default_factory=list)


def tokenize(text: str, tokenizer: Tokenizer) -> list[str]:
    if tokenizer == "whitespace":
        return [w.lower() for w in text.split()]
    return [f"{b:02x}" for b in text.encode("utf-8")]


def is_green(key: str, previous: str, token: str, gamma: float) -> bool:
    digest = hmac.new(key.encode(), f"{previous}\x1f{token}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") < gamma * 2**64


def detect(text: str, scheme: WatermarkScheme) -> WatermarkVerdict:
    """Score ``text`` under the declared ``scheme`` (repeated (previous, token) pairs count once,
    as in the paper's robust variant, so repeating a green phrase does not inflate the score)."""
    tokens = tokenize(text, scheme.tokenizer)
    pairs = list(dict.fromkeys(itertools.pairwise(tokens)))
    total = len(pairs)
    green = sum(1 for prev, tok in pairs if is_green(scheme.key, prev, tok, scheme.gamma))
    notes = []
    public = scheme.key.strip().lower() in PUBLIC_DEFAULT_KEYS
    if public:
        notes.append(
            "the key is a public default: anyone can produce text that carries this mark, so a "
            "detection does not show which provider generated the text"
        )
    if total < 16:
        notes.append(f"only {total} token pairs: too short for a meaningful test (16 or more)")
        return WatermarkVerdict(
            scheme=scheme,
            tokens_scored=total,
            green=green,
            z_score=None,
            p_value=None,
            detected=False,
            public_default_key=public,
            notes=notes,
        )
    g = scheme.gamma
    z = (green - g * total) / math.sqrt(total * g * (1 - g))
    p = 0.5 * math.erfc(z / math.sqrt(2))
    return WatermarkVerdict(
        scheme=scheme,
        tokens_scored=total,
        green=green,
        z_score=round(z, 4),
        p_value=p,
        detected=z >= scheme.z_threshold,
        public_default_key=public,
        notes=notes,
    )


def generate(
    scheme: WatermarkScheme, words: Sequence[str], length: int, choose: Callable[[int], int]
) -> str:
    """Text that carries the mark (for tests and demonstrations): at each step the first green
    candidate among a few drawn with ``choose`` (a deterministic index source)."""
    if not words:
        raise InvalidInput("watermark: no words to generate from")
    out = [words[choose(len(words))]]
    for _ in range(length - 1):
        candidates = [words[choose(len(words))] for _ in range(8)]
        pick = next(
            (
                w
                for w in candidates
                if is_green(scheme.key, out[-1].lower(), w.lower(), scheme.gamma)
            ),
            candidates[0],
        )
        out.append(pick)
    return " ".join(out)
