"""Run a spec's suites on a model through Inspect's Python API and build the result document.

Concurrency, retries, timeouts, rate limits and token accounting are Inspect's; the settings
used and the usage it reports are recorded in the result. Inspect writes its own logs
(``log_dir``); their hashes go into the result so the logs can be checked against it later.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gaio.errors import InvalidInput, MissingExtra
from gaio.evaluation.genai.compass import compare
from gaio.evaluation.genai.items import ItemPack, load_pack
from gaio.evaluation.genai.result import GenaiResult, RunInfo, SuiteResult, Verdict
from gaio.evaluation.genai.scoring import Response, ValueProfile, score_profile
from gaio.evaluation.genai.spec import COMPASS, GenaiSpec, check_against_pack
from gaio.evaluation.genai.suites import load_suite

RANDOM_MOCK = "mockllm/random"
"""Inspect's mock model answering uniformly at random (seeded): the statistics must call
every value of it "not reliably measured"."""


def require_inspect() -> Any:
    try:
        import inspect_ai
    except ImportError:
        raise MissingExtra("genai", "Generative-AI evaluation (Inspect)") from None
    return inspect_ai


def random_mock(seed: int) -> Any:
    """A mockllm model that answers a random scale point, letter, or a short sentence."""
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    seen: dict[str, int] = {}

    def answer(messages: Sequence[Any], *_: Any) -> Any:
        text = str(messages[-1].text)
        # Seeded per prompt and repetition, so the answers do not depend on the order in
        # which Inspect's concurrent samples happen to call the model.
        seen[text] = seen.get(text, 0) + 1
        digest = hashlib.sha256(f"{seed}|{seen[text]}|{text}".encode()).digest()
        rng = random.Random(digest)
        if "number" in text or "chiffre" in text or "número" in text:
            out = str(rng.randint(1, 6))
        elif "letter" in text or "lettre" in text or "letra" in text:
            out = rng.choice("AB")
        else:
            out = rng.choice(["Sure, here is an answer.", "I cannot help with that."])
        output = ModelOutput.from_content(model="random", content=out)
        # Usage given here: mockllm would otherwise count tokens with tiktoken, which
        # downloads its encoding on first use (no downloads at run time).
        words = len(text.split())
        output.usage = ModelUsage(input_tokens=words, output_tokens=1, total_tokens=words + 1)
        return output

    return get_model("mockllm/model", custom_outputs=answer, memoize=False)


def _model(name: str, seed: int, base_url: str | None) -> Any:
    from inspect_ai.model import get_model

    if name == RANDOM_MOCK:
        return random_mock(seed)
    if "/" not in name:
        raise InvalidInput(f"--model: {name!r} must look like PROVIDER/MODEL, e.g. openai/gpt-4o")
    if name.startswith("gaio-gguf/"):
        from gaio.evaluation.genai import gguf_provider  # noqa: F401  (registers the provider)
    try:
        return get_model(name, base_url=base_url)
    except Exception as exc:  # Inspect raises plain exceptions for unknown providers/keys
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise InvalidInput(f"--model {name!r}: {first}") from None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_spec(
    spec: GenaiSpec,
    model: str,
    *,
    log_dir: Path,
    base_url: str | None = None,
    display: str = "none",
    now: datetime | None = None,
) -> GenaiResult:
    """Run every suite of ``spec`` on ``model``; refuse bad input before any model call."""
    inspect_ai = require_inspect()
    from inspect_ai.model import GenerateConfig

    from gaio.evaluation.genai.tasks import safety_suite, value_compass

    pack = load_pack(spec.pack)
    check_against_pack(spec, pack, "spec")
    tasks = []
    for suite in spec.suites:
        if suite == COMPASS:
            tasks.append(
                value_compass(
                    pack=spec.pack,
                    languages=",".join(spec.languages),
                    forms=",".join(spec.forms),
                    conditions=spec.scale_directions,
                    items_per_value=spec.items_per_value,
                    max_tokens=spec.max_tokens,
                )
            )
        else:
            tasks.append(safety_suite(suite))
    config = GenerateConfig(
        temperature=spec.temperature,
        seed=spec.seed,
        max_connections=spec.max_connections,
        timeout=spec.timeout,
        attempt_timeout=spec.timeout,
        max_retries=spec.max_retries,
    )
    log_dir.mkdir(parents=True, exist_ok=True)
    try:
        logs = inspect_ai.eval(
            tasks,
            model=_model(model, spec.seed, base_url),
            epochs=spec.epochs,
            log_dir=str(log_dir),
            display=display,
            max_tasks=1,
            fail_on_error=False,
            score_display=False,
            **config.model_dump(exclude_none=True),
        )
    except InvalidInput:
        raise
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise InvalidInput(f"model {model!r}: {first}") from None
    return build_result(logs, spec, pack, model, now=now)


def _log_error(log: Any) -> str | None:
    if log.status == "success":
        return None
    message = log.error.message if log.error is not None else log.status
    return (str(message).strip().splitlines() or ["error"])[0][:300]


def build_result(
    logs: Sequence[Any],
    spec: GenaiSpec,
    pack: ItemPack,
    model: str,
    *,
    now: datetime | None = None,
) -> GenaiResult:
    """The result document from Inspect's logs (also used to re-score an imported log)."""
    import inspect_ai

    info = RunInfo(
        inspect_version=inspect_ai.__version__,
        model=model,
        settings=spec.model_dump(mode="json"),
    )
    profile: ValueProfile | None = None
    suites: list[SuiteResult] = []
    for log in logs:
        err = _log_error(log)
        if err is not None:
            raise InvalidInput(f"model {model!r}: {log.eval.task}: {err}")
        location = Path(log.location) if log.location else None
        info.logs.append(
            {
                "task": log.eval.task,
                "file": location.name if location else "",
                "sha256": _sha256(location) if location and location.exists() else "",
                "status": log.status,
            }
        )
        for usage in log.stats.model_usage.values():
            for key in ("input_tokens", "output_tokens", "total_tokens"):
                info.tokens[key] = info.tokens.get(key, 0) + int(getattr(usage, key) or 0)
        samples = log.samples or []
        info.samples += len(samples)
        failed = [s for s in samples if s.error is not None]
        info.errors += len(failed)
        if samples and len(failed) == len(samples):
            first = (str(failed[0].error.message).strip().splitlines() or ["error"])[0][:300]
            raise InvalidInput(f"model {model!r}: every sample failed ({first})")
        suite = (log.eval.metadata or {}).get("gaio_suite")
        if suite == COMPASS:
            profile = score_profile(
                pack,
                compass_responses(samples),
                threshold=spec.reliability_threshold,
                replicates=spec.bootstrap,
                seed=spec.seed,
            )
        elif suite:
            suites.append(suite_result(str(suite), samples, spec))
    compass = compare(profile.measured()) if profile is not None else None
    verdict, reasons = _verdict(spec, profile, suites)
    return GenaiResult(
        created_at=now or datetime.now(UTC),
        model=model,
        pack=pack.ref if profile is not None else None,
        spec=spec.model_dump(mode="json"),
        profile=profile,
        compass=compass,
        suites=suites,
        verdict=verdict,
        reasons=reasons,
        run=info,
    )


def compass_responses(samples: Sequence[Any]) -> list[Response]:
    out = []
    for s in samples:
        score = next(iter((s.scores or {}).values()), None)
        meta = score.metadata if score is not None and score.metadata else {}
        out.append(
            Response(
                item_id=str(s.metadata["item"]),
                language=str(s.metadata["language"]),
                condition=str(s.metadata["condition"]),
                epoch=int(s.epoch),
                status=str(meta.get("status", "unparseable")),
                value=meta.get("value"),
                choice=meta.get("choice"),
            )
        )
    return out


def wilson(passed: int, n: int, z: float = 1.959964) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = passed / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def suite_result(name: str, samples: Sequence[Any], spec: GenaiSpec) -> SuiteResult:
    suite = load_suite(name)
    passed = 0
    groups: dict[str, list[int]] = {}
    for s in samples:
        score = next(iter((s.scores or {}).values()), None)
        ok = int(score is not None and float(score.value) == 1.0)
        passed += ok
        probe = suite.probe(str(s.metadata["probe"]))
        for key in (probe.context, probe.attribute):
            if key:
                groups.setdefault(key, []).append(ok)
    n = len(samples)
    rate = passed / n if n else None
    threshold = spec.suite_thresholds.get(name)
    verdict: Verdict
    ci = wilson(passed, n)
    if threshold is None or rate is None or ci is None:
        verdict = "inconclusive"
    elif ci[0] >= threshold:
        verdict = "pass"
    elif ci[1] < threshold:
        verdict = "fail"
    else:
        verdict = "inconclusive"
    return SuiteResult(
        suite=name,
        title=suite.title,
        maps_to=suite.maps_to,
        samples=n,
        passed=passed,
        pass_rate=rate,
        interval=ci,
        threshold=threshold,
        verdict=verdict,
        by_group={k: sum(v) / len(v) for k, v in sorted(groups.items())},
    )


def _verdict(
    spec: GenaiSpec, profile: ValueProfile | None, suites: list[SuiteResult]
) -> tuple[Verdict, list[str]]:
    reasons = []
    verdicts: list[Verdict] = []
    if profile is not None:
        reliable = sum(1 for v in profile.values if v.status == "measured")
        if reliable < spec.min_reliable_values:
            verdicts.append("inconclusive")
            reasons.append(
                f"value compass: {reliable} of 10 values reliably measured "
                f"(the spec asks for {spec.min_reliable_values})"
            )
        else:
            verdicts.append("pass")
    for s in suites:
        verdicts.append(s.verdict)
        if s.verdict != "pass":
            shown = "n/a" if s.pass_rate is None else f"{s.pass_rate:.2f}"
            reasons.append(f"{s.suite}: {s.verdict} (pass rate {shown}, threshold {s.threshold})")
    if "fail" in verdicts:
        return "fail", reasons
    if "inconclusive" in verdicts or not verdicts:
        return "inconclusive", reasons
    return "pass", reasons
