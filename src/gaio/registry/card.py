"""The system card: what a provider declares about one version of an AI system.

A card is YAML (or JSON, or a Hugging Face model card whose YAML front matter carries the same
fields). Every fact a classifier needs is optional, and a missing fact means *unknown*, never
*false*: ``profiling: false`` says the system does not profile people, an absent ``profiling``
says nobody has told us. :meth:`SystemCard.unknown_facts` lists what is unknown so that later
steps can ask instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from gaio.canonical import content_hash
from gaio.errors import FieldError, InvalidInput
from gaio.registry.vocab import (
    SUBNATIONAL_PATTERN,
    AnnexIIOffence,
    Art2Exclusion,
    Art6_3Condition,
    Domain,
    FrontierCapability,
    Modality,
    Practice,
    ProductLegislation,
    check_jurisdiction,
)

CARD_SCHEMA_VERSION = 2
CARD_SCHEMA_VERSIONS = (1, 2)
"""Versions a stored card may carry: version 1 cards load unchanged (every version-2 field is
optional and a missing fact means unknown)."""
SHA256_PATTERN = r"^sha256:[0-9a-f]{64}$"
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="lower-case letters, digits, -")]
Jurisdiction = Annotated[
    str,
    AfterValidator(check_jurisdiction),
    Field(description="ISO 3166-1 alpha-2 code or EU"),
]


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class RbiAuthorisation(_Facts):
    """The prior authorisation of a use of real-time remote biometric identification
    (EU AI Act Art. 5(3)): granted by a judicial authority or an independent administrative
    authority whose decision is binding, of the Member State where the use takes place."""

    reference: str = Field(min_length=1, max_length=200, description="the decision's reference")
    authority: str = Field(min_length=1, max_length=200, description="who granted it")
    authority_kind: Literal["judicial", "independent-administrative"]
    granted_on: dt.date | None = None


class Biometrics(_Facts):
    """Facts that decide the biometric prohibitions (Art. 5(1)(e)-(h)) and Annex III point 1."""

    remote: bool | None = Field(None, description="identifies people at a distance")
    real_time: bool | None = Field(None, description="capture and identification without delay")
    publicly_accessible_spaces: bool | None = None
    law_enforcement: bool | None = Field(None, description="used for law enforcement purposes")
    law_enforcement_objective: (
        Literal["victim-search", "imminent-threat", "suspect-localisation", "other"] | None
    ) = Field(None, description="the Art. 5(1)(h)(i)-(iii) objective, if any")
    infers_sensitive_attributes: bool | None = Field(
        None, description="deduces race, political opinions, religion, sex life or orientation"
    )
    lawful_dataset_labelling: bool | None = Field(
        None, description="only labels or filters lawfully acquired biometric datasets"
    )
    emotion_contexts: list[Literal["workplace", "education", "other"]] | None = None
    medical_or_safety_reason: bool | None = Field(
        None, description="emotion recognition put in place for medical or safety reasons"
    )
    # The facts each Art. 5(1)(h) exception needs (Art. 5(2)-(5)); without them it is prohibited.
    authorisation: RbiAuthorisation | None = Field(
        None, description="the prior judicial or independent authorisation (Art. 5(3))"
    )
    fria_completed: bool | None = Field(
        None, description="a fundamental rights impact assessment was completed (Art. 5(2), 27)"
    )
    registered_in_eu_database: bool | None = Field(
        None, description="the system is registered in the EU database (Art. 5(2), Art. 49)"
    )
    use_notified: bool | None = Field(
        None,
        description="each use is notified to the market surveillance and data protection "
        "authorities (Art. 5(4))",
    )
    national_law_allows: bool | None = Field(
        None, description="national law of the Member State provides for the use (Art. 5(5))"
    )
    offence: AnnexIIOffence | None = Field(
        None,
        description="the Annex II offence of the suspect sought, punishable by at least four "
        "years (Art. 5(1)(h)(iii))",
    )


class DerogationAssessment(_Facts):
    """The documented Art. 6(3) assessment (Art. 6(4)): which condition, by whom, when, and the
    hash of the document, so the claim can be checked against the document itself."""

    condition: Art6_3Condition = Field(description="the Art. 6(3) point relied on: a, b, c or d")
    assessed_by: str = Field(min_length=1, max_length=200)
    assessed_on: dt.date
    document_sha256: str = Field(pattern=SHA256_PATTERN, description="sha256:<64 hex>")
    registered: bool | None = Field(
        None, description="the system is registered in the EU database (Art. 49(2))"
    )


class Derogation(_Facts):
    """The Art. 6(3) derogation: the conditions (facts about the task) and the documented
    assessment. An Annex III system is high-risk (Art. 6(2)) unless ``assessment`` is recorded:
    the Regulation puts the burden on the provider (Art. 6(4))."""

    narrow_procedural_task: bool | None = None
    improves_completed_human_activity: bool | None = None
    detects_decision_patterns_without_replacing_review: bool | None = None
    preparatory_task: bool | None = None
    assessment: DerogationAssessment | None = None


class ThirdPartyModel(_Facts):
    """A general-purpose model of another provider that the system is built on."""

    provider: str = Field(min_length=1, max_length=200)
    model: str = Field(min_length=1, max_length=200)
    registry_id: str | None = Field(
        None, max_length=200, description="the model's id in the gaio registry, if registered"
    )
    via_api: bool | None = Field(None, description="used through the provider's API")


class ModelFacts(_Facts):
    """Facts about the model inside the system (general-purpose model rules, Arts. 51-55)."""

    modality: list[Modality] | None = None
    general_purpose: bool | None = Field(None, description="significant generality (Art. 3(63))")
    training_compute_flop: float | None = Field(None, ge=0, description="cumulative training FLOP")
    open_weights: bool | None = None
    licence: str | None = Field(None, max_length=200)
    free_and_open_source_licence: bool | None = None
    base_model: str | None = Field(None, max_length=200)
    frontier_capabilities: list[FrontierCapability] | None = None
    designated_systemic_risk: bool | None = Field(
        None, description="designated by the Commission under Art. 52"
    )
    third_party: ThirdPartyModel | None = Field(
        None,
        description="the system builds on a general-purpose model of another provider "
        "(downstream provider, Art. 3(68), Art. 53(1)(b))",
    )


class AnsweredFact(_Facts):
    """Who supplied a fact, and when: written by ``gaio classify --interactive --save``."""

    path: str = Field(min_length=1, max_length=200, description="dotted path of the fact")
    answered_by: str = Field(min_length=1, max_length=200, description="the actor who answered")
    answered_at: AwareDatetime = Field(description="when (UTC)")


class SystemCard(_Facts):
    """One version of an AI system as its provider describes it (schema ``version`` 2; version
    1 cards still load, see :data:`CARD_SCHEMA_VERSIONS`)."""

    version: Literal[1, 2] = Field(2, description="card schema version (1 still loads)")
    subject: Literal["system", "model"] | None = Field(
        None,
        description="what the card describes: an AI system (default) or a general-purpose "
        "model not yet part of a system (only Arts. 51-55 are then decided)",
    )
    id: Slug = Field(description="the system's id, stable across versions")
    name: str = Field(min_length=1, max_length=200)
    system_version: str = Field(pattern=VERSION_PATTERN, description="e.g. 2.3.0")
    provider: Slug = Field(description="id of the provider organisation")
    deployers: list[Slug] = Field(default_factory=list)
    description: str | None = Field(None, max_length=20_000)
    intended_purpose: str = Field(min_length=1, max_length=20_000)
    domains: list[Domain] | None = None
    markets: list[Jurisdiction] | None = Field(
        None, description="where the system is placed on the market or put into service"
    )
    subnational_markets: list[Annotated[str, Field(pattern=SUBNATIONAL_PATTERN)]] | None = Field(
        None,
        description="sub-national markets (ISO 3166-2, e.g. US-CO; a city as US-NY-NYC), for "
        "state and city laws",
    )
    placed_on_market: dt.date | None = Field(
        None,
        description="when this system (or model) was first placed on the market or put into "
        "service (EU AI Act Art. 111 transitions)",
    )
    public_facing: bool | None = Field(None, description="offered to the general public")
    provider_established_in: Jurisdiction | None = Field(
        None,
        description="where the provider is established; a provider outside the Union needs an "
        "authorised representative in it (EU AI Act Art. 54(1))",
    )
    affected_persons: list[str] | None = None
    affects_vulnerable_groups: bool | None = None
    profiling: bool | None = Field(None, description="profiles natural persons (GDPR Art. 4(4))")
    practices: list[Practice] | None = None
    supports_fact_based_assessment: bool | None = Field(
        None,
        description="a crime-risk prediction only supports a human assessment of involvement in "
        "a criminal activity already based on objective, verifiable facts (Art. 5(1)(d))",
    )
    human_editorial_control: bool | None = Field(
        None,
        description="generated text on matters of public interest undergoes human review or "
        "editorial control under someone's editorial responsibility (Art. 50(4))",
    )
    content_published_by: list[Literal["provider", "deployer"]] | None = Field(
        None,
        description="who publishes the generated content (deep fakes, public-interest text): the "
        "Art. 50(4) disclosure falls on whoever publishes it as deployer; [] if nobody does",
    )
    biometrics: Biometrics | None = None
    interacts_with_people: bool | None = None
    generates_synthetic_content: bool | None = None
    synthetic_content_types: list[Modality] | None = None
    safety_component_of: list[ProductLegislation] | None = Field(
        None, description="Annex I product legislation the system is (a safety component of)"
    )
    third_party_conformity_assessment: bool | None = Field(
        None, description="that product needs a third-party conformity assessment"
    )
    harmonised_standards_applied: bool | None = Field(
        None,
        description="harmonised standards or common specifications applied in full, which lets "
        "a biometric system use internal control (Art. 43(1))",
    )
    derogation: Derogation | None = None
    art2_exclusions: list[Art2Exclusion] | None = None
    deployer_public_body: bool | None = Field(
        None, description="deployed by a body governed by public law or providing public services"
    )
    model: ModelFacts | None = None
    contact: str | None = Field(None, max_length=300)
    answered: list[AnsweredFact] | None = Field(
        None, description="facts answered interactively: who answered and when"
    )

    def content_hash(self) -> str:
        """``sha256:`` of the canonical JSON of the card; ``null`` and absent hash the same."""
        return content_hash(self.model_dump(mode="json", exclude_none=True))

    def unknown_facts(self) -> list[str]:
        """Dotted paths of the optional facts the card leaves unknown."""
        unknown: list[str] = []
        _collect_unknown(self, "", unknown)
        return unknown

    @property
    def is_frontier(self) -> bool:
        """A general-purpose model above 1e25 FLOP, or a declared frontier capability."""
        m = self.model
        if m is None:
            return False
        big = bool(m.general_purpose) and (m.training_compute_flop or 0) > 1e25
        return big or bool(m.frontier_capabilities)


_OPTIONAL_NESTED = {"biometrics", "derogation", "model"}
_NOT_FACTS = {"description", "contact", "deployers", "version", "subject", "subnational_markets"}
# Version-2 facts that matter only in some cases (an exception claimed, a derogation relied on, a
# third-party model used): the rules ask for them when they decide something, so a card that
# leaves them out is not "missing" them.
_NOT_FACTS |= {"placed_on_market", "content_published_by", "authorisation", "assessment"}
_NOT_FACTS |= {"third_party", "fria_completed", "registered_in_eu_database", "use_notified"}
_NOT_FACTS |= {"national_law_allows", "offence"}
_NOT_FACTS |= {"answered"}


def _collect_unknown(model: BaseModel, prefix: str, out: list[str]) -> None:
    for name in type(model).model_fields:
        if name in _NOT_FACTS:
            continue
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            _collect_unknown(value, path + ".", out)
        elif value is None:
            out.append(path)


def card_schema() -> dict[str, Any]:
    """The JSON Schema of the card, as committed under ``schemas/system-card.schema.json``."""
    schema = SystemCard.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://gaio.dev/schemas/system-card-{CARD_SCHEMA_VERSION}.schema.json"
    return schema


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(card)"


def validation_errors(source: str, exc: ValidationError) -> InvalidInput:
    """Turn pydantic's errors into one :class:`InvalidInput`, its message naming the first."""
    errors: list[FieldError] = []
    for err in exc.errors(include_url=False):
        path = _format_loc(tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (not part of the system card schema)"
        elif err["type"] == "enum" and "expected" in err.get("ctx", {}):
            msg = _enum_message(str(err["ctx"]["expected"]), err.get("input"))
        given = err.get("input")
        if err["type"] != "missing" and not isinstance(given, dict | list):
            msg += f" (got {given!r})"
        errors.append(FieldError(path=path, message=msg))
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return InvalidInput(f"{source}: {first.path}: {first.message}{more}", errors=errors)


def _enum_message(expected: str, given: object) -> str:
    """Short list of choices, or the closest ones when the vocabulary is long."""
    choices = re.findall(r"'([^']*)'", expected)
    if len(choices) <= 8:
        return f"expected one of {', '.join(choices)}"
    close = difflib.get_close_matches(str(given), choices, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return f"not a known value; {hint}the {len(choices)} allowed values are in the card schema"


def parse_card(data: Any, source: str = "card") -> SystemCard:
    """Validate a mapping as a card; errors name ``source``, the field path and the value."""
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{source}: expected a mapping of card fields, got {type(data).__name__}"
        )
    try:
        return SystemCard.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(source, exc) from None


def _yaml_load(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InvalidInput(f"{source}: malformed YAML{where}: {problem}") from None


_HF_KEYS = {"license": "licence", "base_model": "base_model"}


def _from_hugging_face(text: str, source: str) -> dict[str, Any]:
    """Map a Hugging Face model card (README.md with YAML front matter) to card fields.

    gaio's own fields may sit at the top level of the front matter or under a ``gaio:`` key;
    the Hub's ``license`` and ``base_model`` fill the model facts when gaio's are absent. A card
    that declares no use (no ``domains`` or ``practices``) gets ``subject: model``.
    """
    if not text.startswith("---"):
        raise InvalidInput(f"{source}: a Markdown card must start with YAML front matter ('---')")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise InvalidInput(f"{source}: YAML front matter is not closed by a '---' line")
    front = _yaml_load(parts[0].removeprefix("---"), source)
    if not isinstance(front, dict):
        raise InvalidInput(f"{source}: front matter must be a mapping")
    card = dict(front.pop("gaio", None) or {})
    known = set(SystemCard.model_fields)
    for key, value in front.items():
        if key in known and key not in card:
            card[key] = value
    model = dict(card.get("model") or {})
    for hf_key, field in _HF_KEYS.items():
        value = front.get(hf_key)
        if value is not None and field not in model:
            model[field] = value[0] if isinstance(value, list) and value else value
    if model:
        card["model"] = model
    if "subject" not in card and not ({"domains", "practices"} & set(card)):
        # A Hub model card describes a model; with no use declared, it is decided as one
        # (EU AI Act Arts. 51-55 only) rather than asked about a system that does not exist yet.
        card["subject"] = "model"
    if "name" not in card:
        for line in parts[1].splitlines():
            if line.startswith("# "):
                card["name"] = line[2:].strip()
                break
    return card


def load_card(path: Path) -> SystemCard:
    """Read a card from a ``.yaml``/``.yml``/``.json`` file or a Hugging Face ``.md`` card."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{source}: cannot read the card ({exc.__class__.__name__})") from None
    suffix = path.suffix.lower()
    if suffix == ".md":
        data: Any = _from_hugging_face(text, source)
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"{source}: malformed JSON at line {exc.lineno}: {exc.msg}"
            ) from None
    elif suffix in {".yaml", ".yml"}:
        data = _yaml_load(text, source)
    else:
        raise InvalidInput(
            f"{source}: unknown card format {suffix!r}; expected .yaml, .json or .md"
        )
    return parse_card(data, source)
