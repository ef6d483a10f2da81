"""A model served over HTTP: POST ``{"instances": [{feature: value, …}, …]}``, get back
``{"predictions": [...]}``, in batches, with a timeout and retries with backoff."""

from __future__ import annotations

import json
import math
import time
import urllib.error
import urllib.request
from typing import Any

import numpy as np

from gaio.errors import InvalidInput
from gaio.evaluation.models.base import Features


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class HttpModel:
    kind = "http"

    def __init__(self, url: str, *, timeout: float, retries: int, batch_size: int) -> None:
        self.url = url
        self.timeout = timeout
        self.retries = max(1, retries)
        self.batch_size = max(1, batch_size)

    def predict(self, features: Features) -> np.ndarray[Any, Any]:
        names = list(features)
        n = len(next(iter(features.values()))) if features else 0
        out: list[Any] = []
        for start in range(0, n, self.batch_size):
            stop = min(n, start + self.batch_size)
            rows = [{k: _jsonable(features[k][i]) for k in names} for i in range(start, stop)]
            predictions = self._post({"instances": rows})
            if len(predictions) != stop - start:
                raise InvalidInput(
                    f"Model endpoint {self.url} returned {len(predictions)} predictions "
                    f"for {stop - start} rows."
                )
            out.extend(predictions)
        return np.asarray(out)

    def _post(self, payload: dict[str, Any]) -> list[Any]:
        body = json.dumps(payload).encode("utf-8")
        last = ""
        for attempt in range(self.retries):
            request = urllib.request.Request(  # noqa: S310 - user-given http(s) URL
                self.url, data=body, headers={"Content-Type": "application/json"}, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    doc = json.loads(response.read())
                break
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code < 500:
                    raise InvalidInput(
                        f"Model endpoint {self.url} refused the batch: {last}."
                    ) from exc
            except (TimeoutError, urllib.error.URLError) as exc:
                reason = getattr(exc, "reason", exc)
                last = (
                    "timed out"
                    if isinstance(reason, TimeoutError) or "timed out" in str(reason)
                    else str(reason)
                )
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"Model endpoint {self.url} did not answer with JSON.") from exc
            if attempt + 1 < self.retries:
                time.sleep(min(0.25 * 2**attempt, 2.0))
        else:
            raise InvalidInput(
                f"Model endpoint {self.url} failed after {self.retries} attempt(s) "
                f"(timeout {self.timeout:g} s): {last}."
            )
        predictions = doc.get("predictions") if isinstance(doc, dict) else None
        if not isinstance(predictions, list):
            raise InvalidInput(f"Model endpoint {self.url} answered without a 'predictions' list.")
        return predictions
