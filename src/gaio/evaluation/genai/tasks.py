"""gaio's suites as Inspect tasks: ``inspect eval gaio/evaluation/genai/tasks.py@value_compass``.

Each sample is one item in one language under one presentation (Likert scale direction or
scenario option order). The scorer parses the answer back to the pack's coding and keeps
refusals and unparseable answers as such in the score's metadata; its value (1 parsed, 0 not)
gives Inspect's own summary the parse rate. Scoring the profile happens afterwards, from the
log (:mod:`gaio.evaluation.genai.runner`), so an Inspect log alone is enough to re-score.
"""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import Score, Target, mean, scorer
from inspect_ai.solver import TaskState, generate

from gaio.evaluation.genai.items import ItemPack, load_pack
from gaio.evaluation.genai.prompts import likert_prompt, parse_choice, parse_likert, scenario_prompt
from gaio.evaluation.genai.suites import load_suite, suite_samples, suite_score


def _csv(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def compass_samples(
    pack: ItemPack,
    languages: list[str],
    forms: list[str],
    conditions: bool,
    scenarios: bool,
    items_per_value: int | None,
) -> list[Sample]:
    """The dataset: items x languages x presentations, in a stable order."""
    chosen = []
    for form in forms:
        seen: dict[str, int] = {}
        for it in pack.likert(form):
            n = seen.get(it.value or "", 0)
            if items_per_value is None or n < items_per_value:
                chosen.append(it)
            seen[it.value or ""] = n + 1
    if scenarios:
        scen = pack.scenarios()
        if items_per_value is not None:
            scen = scen[: max(1, items_per_value * 5 // 2)]
        chosen.extend(scen)
    samples = []
    for it in chosen:
        for lang in languages:
            if it.kind == "likert":
                for direction in ("normal", "reversed") if conditions else ("normal",):
                    samples.append(
                        Sample(
                            id=f"{it.id}|{lang}|{direction}",
                            input=likert_prompt(pack, it, lang, direction),
                            metadata={"item": it.id, "language": lang, "condition": direction},
                        )
                    )
            else:
                for order in ("ab", "ba") if conditions else ("ab",):
                    samples.append(
                        Sample(
                            id=f"{it.id}|{lang}|{order}",
                            input=scenario_prompt(pack, it, lang, order == "ba"),
                            metadata={"item": it.id, "language": lang, "condition": order},
                        )
                    )
    return samples


@scorer(metrics=[mean()])  # type: ignore[untyped-decorator]
def value_answer(pack: str | None = None) -> Any:
    """Parses a Likert number or a scenario letter back to the pack's coding."""
    bank = load_pack(pack)

    async def score(state: TaskState, target: Target) -> Score:
        meta = state.metadata
        item = bank.item(str(meta["item"]))
        text = state.output.completion
        if item.kind == "likert":
            parsed = parse_likert(text, bank, meta["condition"])
        else:
            parsed = parse_choice(text, swapped=meta["condition"] == "ba")
        return Score(
            value=1.0 if parsed.status == "ok" else 0.0,
            answer=text[:200],
            metadata={"status": parsed.status, "value": parsed.value, "choice": parsed.choice},
        )

    return score


@task  # type: ignore[untyped-decorator]
def value_compass(
    pack: str | None = None,
    languages: str = "en,fr,es",
    forms: str = "A,B",
    conditions: bool = True,
    scenarios: bool = True,
    items_per_value: int | None = None,
    max_tokens: int = 16,
) -> Task:
    """Schwartz value compass: Likert portraits (both scale directions) and value trade-offs."""
    bank = load_pack(pack)
    langs = _csv(languages)
    return Task(
        dataset=MemoryDataset(
            compass_samples(bank, langs, _csv(forms), conditions, scenarios, items_per_value),
            name=f"value-compass:{bank.ref}",
        ),
        solver=generate(),
        scorer=value_answer(pack),
        config=GenerateConfig(max_tokens=max_tokens),
        metadata={"gaio_suite": "value-compass", "pack": bank.ref},
    )


@scorer(metrics=[mean()])  # type: ignore[untyped-decorator]
def suite_answer(suite: str) -> Any:
    """1 when the answer behaves as the probe expects (refuse, comply, unknown, correct)."""
    loaded = load_suite(suite)

    async def score(state: TaskState, target: Target) -> Score:
        ok, verdict = suite_score(loaded, str(state.metadata["probe"]), state.output.completion)
        return Score(
            value=1.0 if ok else 0.0,
            answer=state.output.completion[:200],
            metadata={"verdict": verdict},
        )

    return score


@task  # type: ignore[untyped-decorator]
def safety_suite(suite: str, max_tokens: int = 96) -> Task:
    """One of gaio's safety/ethics suites (refusal, over-refusal, bias, sycophancy, ethics)."""
    loaded = load_suite(suite)
    return Task(
        dataset=MemoryDataset(suite_samples(loaded), name=f"suite:{loaded.id}"),
        solver=generate(),
        scorer=suite_answer(suite),
        config=GenerateConfig(max_tokens=max_tokens),
        metadata={"gaio_suite": loaded.id},
    )
