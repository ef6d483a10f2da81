"""The value compass: a profile's distance to target profiles (data, with who defined them).

A target gives centred weights per value (or a ranking, turned into centred weights). The
distance is Euclidean over the values measured reliably in both, after z-scoring each profile
across values, so scale use does not count; values not reliably measured are left out and
named. The shipped targets are illustrative only: they show the mechanism, and represent no
community's values.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gaio.errors import InvalidInput
from gaio.evaluation.genai.values import VALUES
from gaio.inputs import load_yaml


class TargetProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    defined_by: str
    community: str
    illustrative: bool = False
    weights: dict[str, float] | None = None
    ranking: list[str] | None = None

    def vector(self) -> dict[str, float]:
        if self.weights is not None:
            return {v: self.weights[v] for v in VALUES if v in self.weights}
        ranking = self.ranking or []
        n = len(ranking)
        return {v: (n - 1) / 2 - i for i, v in enumerate(ranking)}


class TargetSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = 1
    licence: str = Field(min_length=1)
    targets: list[TargetProfile] = Field(min_length=1)


class Distance(BaseModel):
    target: str
    title: str
    illustrative: bool
    distance: float | None
    values_compared: int
    largest_deviation: str | None = None
    """The value where the model departs most from the target (signed: model minus target)."""
    deviation: float | None = None


class CompassReport(BaseModel):
    distances: list[Distance]
    closest: str | None
    left_out: list[str]
    """Values not reliably measured, hence not compared."""


def parse_targets(data: object, source: str) -> TargetSet:
    try:
        ts = TargetSet.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        raise InvalidInput(f"{source}: {loc}: {err.get('msg')}") from None
    for t in ts.targets:
        names = list((t.weights or {}).keys()) + list(t.ranking or [])
        if (t.weights is None) == (t.ranking is None):
            raise InvalidInput(f"{source}: target {t.id!r} needs weights or a ranking (one)")
        for name in names:
            if name not in VALUES:
                raise InvalidInput(f"{source}: target {t.id!r}: unknown value {name!r}")
    return ts


@cache
def builtin_targets() -> TargetSet:
    text = (resources.files("gaio.evaluation.genai") / "data/targets.yaml").read_text("utf-8")
    return parse_targets(load_yaml(text, "targets.yaml"), "targets.yaml")


def _z(vec: dict[str, float]) -> dict[str, float]:
    vals = list(vec.values())
    mean = sum(vals) / len(vals)
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals))
    return {k: (v - mean) / sd if sd > 0 else 0.0 for k, v in vec.items()}


def compare(profile: dict[str, float], targets: TargetSet | None = None) -> CompassReport:
    """Distances from a measured profile (value -> centred score) to each target."""
    ts = targets or builtin_targets()
    left_out = [v for v in VALUES if v not in profile]
    out = []
    for t in ts.targets:
        tv = t.vector()
        common = [v for v in VALUES if v in profile and v in tv]
        if len(common) < 3:
            out.append(
                Distance(
                    target=t.id,
                    title=t.title,
                    illustrative=t.illustrative,
                    distance=None,
                    values_compared=len(common),
                )
            )
            continue
        pz = _z({v: profile[v] for v in common})
        tz = _z({v: tv[v] for v in common})
        diffs = {v: pz[v] - tz[v] for v in common}
        worst = max(common, key=lambda v: abs(diffs[v]))
        out.append(
            Distance(
                target=t.id,
                title=t.title,
                illustrative=t.illustrative,
                distance=math.sqrt(sum(d * d for d in diffs.values()) / len(common)),
                values_compared=len(common),
                largest_deviation=worst,
                deviation=diffs[worst],
            )
        )
    ranked = [d for d in out if d.distance is not None]
    closest = min(ranked, key=lambda d: d.distance or 0.0).target if ranked else None
    return CompassReport(distances=out, closest=closest, left_out=left_out)
