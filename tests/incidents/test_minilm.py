"""The packaged MiniLM model (optional extra ``similarity``): offline, real embeddings.

CI installs the extra, so this runs there; on a machine without it the test says why it
cannot run instead of passing silently.
"""

from __future__ import annotations

import numpy as np
import pytest

from gaio.incidents.embed import MiniLMEmbedder, minilm_available


@pytest.mark.skipif(not minilm_available(), reason="install gaio[similarity] to test MiniLM")
def test_minilm_embeds_offline_and_ranks_paraphrases_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    embedder = MiniLMEmbedder()
    texts = [
        "A self-driving car struck a pedestrian crossing the road at night.",
        "An autonomous vehicle hit a person walking across the street after dark.",
        "A chatbot gave a customer the wrong refund policy.",
    ]
    vectors = np.asarray(embedder.embed(texts))
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.6 > sims[0, 2]
    assert embedder.name.startswith("all-MiniLM-L6-v2@gt-")
