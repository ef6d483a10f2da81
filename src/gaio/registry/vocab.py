"""Controlled vocabularies of the registry.

They are enumerations rather than free strings so that the card's JSON Schema lists every allowed
value, typos fail at the boundary, and the classifier can rely on exact values. The domain list
covers every point and sub-point of EU AI Act Annex III (each value says which one it maps to),
the uses that Annex III explicitly carves out, and common minimal-risk uses.
"""

from __future__ import annotations

from enum import StrEnum

# ISO 3166-1 alpha-2 codes (officially assigned), plus "EU" for the European Union as a market.
ISO_3166_ALPHA2 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - a compact table of 249 codes
)
JURISDICTIONS = ISO_3166_ALPHA2 | {"EU"}

EU_MEMBER_STATES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()  # noqa: SIM905
)


def check_jurisdiction(code: str) -> str:
    """Return ``code`` upper-cased if it is an ISO 3166-1 alpha-2 code or ``EU``; else raise."""
    value = code.strip().upper()
    if value not in JURISDICTIONS:
        raise ValueError(
            f"{code!r} is not a jurisdiction: expected an ISO 3166-1 alpha-2 code (e.g. DE, US) "
            "or EU"
        )
    return value


class OrgKind(StrEnum):
    PROVIDER = "provider"
    DEPLOYER = "deployer"
    AUDITOR = "auditor"  # auditor or certification body
    REGULATOR = "regulator"
    RESEARCH = "research"  # research or civil society


class LicenceScope(StrEnum):
    FRONTIER_MODEL_DEVELOPMENT = "frontier-model-development"
    HIGH_RISK_DEPLOYMENT = "high-risk-deployment"
    CERTIFICATION_BODY = "certification-body"
    INCIDENT_INVESTIGATION = "incident-investigation"


class LicenceStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"


class Stage(StrEnum):
    DESIGN = "design"
    DATA = "data"
    TRAINING = "training"
    EVALUATION = "evaluation"
    DEPLOYMENT = "deployment"
    MONITORING = "monitoring"
    RETIRED = "retired"


class Domain(StrEnum):
    """Domains of use. Values prefixed by an Annex III point map to that point (see ANNEX_III)."""

    # Annex III point 1 (biometrics), where permitted under Union or national law
    REMOTE_BIOMETRIC_IDENTIFICATION = "remote-biometric-identification"
    BIOMETRIC_CATEGORISATION = "biometric-categorisation"
    EMOTION_RECOGNITION = "emotion-recognition"
    BIOMETRIC_VERIFICATION = "biometric-verification"  # 1:1, excluded from point 1(a)
    # point 2
    CRITICAL_INFRASTRUCTURE = "critical-infrastructure"
    # point 3
    EDUCATION_ACCESS = "education-access"
    EDUCATION_ASSESSMENT = "education-assessment"
    EDUCATION_LEVEL = "education-level"
    EDUCATION_PROCTORING = "education-proctoring"
    # point 4
    EMPLOYMENT_RECRUITMENT = "employment-recruitment"
    EMPLOYMENT_MANAGEMENT = "employment-management"
    # point 5
    PUBLIC_BENEFITS = "public-benefits"
    CREDITWORTHINESS = "creditworthiness"
    FRAUD_DETECTION = "fraud-detection"  # excluded from point 5(b)
    INSURANCE_PRICING = "insurance-life-health-pricing"
    EMERGENCY_TRIAGE = "emergency-triage"
    # point 6
    LAW_ENFORCEMENT_VICTIM_RISK = "law-enforcement-victim-risk"
    LAW_ENFORCEMENT_POLYGRAPH = "law-enforcement-polygraph"
    LAW_ENFORCEMENT_EVIDENCE = "law-enforcement-evidence"
    LAW_ENFORCEMENT_OFFENDING_RISK = "law-enforcement-offending-risk"
    LAW_ENFORCEMENT_PROFILING = "law-enforcement-profiling"
    # point 7
    MIGRATION_POLYGRAPH = "migration-polygraph"
    MIGRATION_RISK = "migration-risk-assessment"
    MIGRATION_APPLICATIONS = "migration-applications"
    MIGRATION_IDENTIFICATION = "migration-identification"
    TRAVEL_DOCUMENT_VERIFICATION = "travel-document-verification"  # excluded from point 7(d)
    # point 8
    JUSTICE = "justice"
    ALTERNATIVE_DISPUTE_RESOLUTION = "alternative-dispute-resolution"
    ELECTION_INFLUENCE = "election-influence"
    CAMPAIGN_LOGISTICS = "campaign-logistics"  # excluded from point 8(b)
    # common uses outside Annex III
    CUSTOMER_SERVICE = "customer-service"
    CONTENT_GENERATION = "content-generation"
    CONTENT_MODERATION = "content-moderation"
    RECOMMENDATION = "recommendation"
    SEARCH = "search"
    TRANSLATION = "translation"
    SPAM_FILTERING = "spam-filtering"
    VIDEO_GAMES = "video-games"
    SOFTWARE_DEVELOPMENT = "software-development"
    MARKETING = "marketing"
    MANUFACTURING = "manufacturing"
    LOGISTICS = "logistics"
    HEALTHCARE = "healthcare"
    MEDICAL_DEVICE = "medical-device"
    AUTOMOTIVE = "automotive"
    FINANCE = "finance"
    AGRICULTURE = "agriculture"
    SCIENTIFIC_RESEARCH = "scientific-research"
    GENERAL_PURPOSE = "general-purpose"
    OTHER = "other"


ANNEX_III: dict[Domain, str] = {
    Domain.REMOTE_BIOMETRIC_IDENTIFICATION: "1(a)",
    Domain.BIOMETRIC_CATEGORISATION: "1(b)",
    Domain.EMOTION_RECOGNITION: "1(c)",
    Domain.CRITICAL_INFRASTRUCTURE: "2",
    Domain.EDUCATION_ACCESS: "3(a)",
    Domain.EDUCATION_ASSESSMENT: "3(b)",
    Domain.EDUCATION_LEVEL: "3(c)",
    Domain.EDUCATION_PROCTORING: "3(d)",
    Domain.EMPLOYMENT_RECRUITMENT: "4(a)",
    Domain.EMPLOYMENT_MANAGEMENT: "4(b)",
    Domain.PUBLIC_BENEFITS: "5(a)",
    Domain.CREDITWORTHINESS: "5(b)",
    Domain.INSURANCE_PRICING: "5(c)",
    Domain.EMERGENCY_TRIAGE: "5(d)",
    Domain.LAW_ENFORCEMENT_VICTIM_RISK: "6(a)",
    Domain.LAW_ENFORCEMENT_POLYGRAPH: "6(b)",
    Domain.LAW_ENFORCEMENT_EVIDENCE: "6(c)",
    Domain.LAW_ENFORCEMENT_OFFENDING_RISK: "6(d)",
    Domain.LAW_ENFORCEMENT_PROFILING: "6(e)",
    Domain.MIGRATION_POLYGRAPH: "7(a)",
    Domain.MIGRATION_RISK: "7(b)",
    Domain.MIGRATION_APPLICATIONS: "7(c)",
    Domain.MIGRATION_IDENTIFICATION: "7(d)",
    Domain.JUSTICE: "8(a)",
    Domain.ALTERNATIVE_DISPUTE_RESOLUTION: "8(a)",
    Domain.ELECTION_INFLUENCE: "8(b)",
}

ANNEX_III_EXCLUSIONS: dict[Domain, str] = {
    Domain.BIOMETRIC_VERIFICATION: "1(a)",
    Domain.FRAUD_DETECTION: "5(b)",
    Domain.TRAVEL_DOCUMENT_VERIFICATION: "7(d)",
    Domain.CAMPAIGN_LOGISTICS: "8(b)",
}


class Practice(StrEnum):
    """Practices a system performs (EU AI Act Art. 5 and Art. 50 turn on these)."""

    BIOMETRIC_IDENTIFICATION = "biometric-identification"
    BIOMETRIC_VERIFICATION = "biometric-verification"
    BIOMETRIC_CATEGORISATION = "biometric-categorisation"
    EMOTION_RECOGNITION = "emotion-recognition"
    SUBLIMINAL_MANIPULATION = "subliminal-manipulation"
    EXPLOITS_VULNERABILITIES = "exploits-vulnerabilities"
    SOCIAL_SCORING = "social-scoring"
    CRIME_RISK_PROFILING = "crime-risk-profiling"
    FACIAL_IMAGE_SCRAPING = "facial-image-scraping"
    DEEP_FAKE_GENERATION = "deep-fake-generation"
    PUBLIC_INTEREST_TEXT_GENERATION = "public-interest-text-generation"
    # Art. 5(1)(ba) and (bb) as added by Regulation (EU) 2026/1744: generating the material is the
    # intended purpose, or a foreseeable outcome the system lacks reasonable safeguards against.
    NON_CONSENSUAL_INTIMATE_IMAGERY = "non-consensual-intimate-imagery"
    CHILD_SEXUAL_ABUSE_MATERIAL = "child-sexual-abuse-material"


class ProductLegislation(StrEnum):
    """Union harmonisation legislation of EU AI Act Annex I (section A: new legislative
    framework, third-party assessment via Art. 6(1); section B: sectoral, via Art. 2(2))."""

    MACHINERY = "machinery"  # A.1 Regulation (EU) 2023/1230 / Directive 2006/42/EC
    TOYS = "toys"  # A.2 Directive 2009/48/EC
    RECREATIONAL_CRAFT = "recreational-craft"  # A.3 Directive 2013/53/EU
    LIFTS = "lifts"  # A.4 Directive 2014/33/EU
    ATEX = "atex"  # A.5 Directive 2014/34/EU
    RADIO_EQUIPMENT = "radio-equipment"  # A.6 Directive 2014/53/EU
    PRESSURE_EQUIPMENT = "pressure-equipment"  # A.7 Directive 2014/68/EU
    CABLEWAY = "cableway"  # A.8 Regulation (EU) 2016/424
    PPE = "personal-protective-equipment"  # A.9 Regulation (EU) 2016/425
    GAS_APPLIANCES = "gas-appliances"  # A.10 Regulation (EU) 2016/426
    MEDICAL_DEVICES = "medical-devices"  # A.11 Regulation (EU) 2017/745
    IVD = "in-vitro-diagnostic"  # A.12 Regulation (EU) 2017/746
    CIVIL_AVIATION_SECURITY = "civil-aviation-security"  # B.13 Regulation (EC) 300/2008
    TWO_THREE_WHEEL_VEHICLES = "two-three-wheel-vehicles"  # B.14 Regulation (EU) 168/2013
    AGRICULTURAL_VEHICLES = "agricultural-vehicles"  # B.15 Regulation (EU) 167/2013
    MARINE_EQUIPMENT = "marine-equipment"  # B.16 Directive 2014/90/EU
    RAIL = "rail-interoperability"  # B.17 Directive (EU) 2016/797
    MOTOR_VEHICLES = "motor-vehicles"  # B.18 Regulation (EU) 2018/858
    VEHICLE_SAFETY = "vehicle-general-safety"  # B.19 Regulation (EU) 2019/2144
    CIVIL_AVIATION = "civil-aviation"  # B.20 Regulation (EU) 2018/1139


ANNEX_I_SECTION_A = frozenset(list(ProductLegislation)[:12])


class Art2Exclusion(StrEnum):
    """Uses outside the EU AI Act's scope (Art. 2)."""

    MILITARY_DEFENCE_NATIONAL_SECURITY = "military-defence-national-security"  # Art. 2(3)
    SCIENTIFIC_RESEARCH_ONLY = "scientific-research-only"  # Art. 2(6)
    PRE_MARKET_RESEARCH_TESTING = "pre-market-research-testing"  # Art. 2(8)
    PERSONAL_NON_PROFESSIONAL = "personal-non-professional"  # Art. 2(10)
    THIRD_COUNTRY_LAW_ENFORCEMENT_COOPERATION = "third-country-cooperation"  # Art. 2(4)


class Modality(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    TABULAR = "tabular"
    CODE = "code"
    MULTIMODAL = "multimodal"
    OTHER = "other"


class FrontierCapability(StrEnum):
    """Capabilities that make a model 'frontier' for licensing, whatever its compute."""

    CBRN_UPLIFT = "cbrn-uplift"
    CYBER_OFFENCE = "cyber-offence"
    AUTONOMOUS_REPLICATION = "autonomous-replication"
    AI_RESEARCH_AUTOMATION = "ai-research-automation"
    MASS_PERSUASION = "mass-persuasion"


class AnnexIIOffence(StrEnum):
    """EU AI Act Annex II: the criminal offences for which Art. 5(1)(h)(iii) allows real-time
    remote biometric identification (punishable by a custodial sentence of at least four years)."""

    TERRORISM = "terrorism"  # 1
    TRAFFICKING_IN_HUMAN_BEINGS = "trafficking-in-human-beings"  # 2
    SEXUAL_EXPLOITATION_OF_CHILDREN = "sexual-exploitation-of-children"  # 3
    NARCOTICS_TRAFFICKING = "narcotics-trafficking"  # 4
    WEAPONS_TRAFFICKING = "weapons-trafficking"  # 5
    MURDER_GRIEVOUS_BODILY_INJURY = "murder-grievous-bodily-injury"  # 6
    HUMAN_ORGANS_TRADE = "human-organs-trade"  # 7
    NUCLEAR_MATERIALS_TRAFFICKING = "nuclear-materials-trafficking"  # 8
    KIDNAPPING_HOSTAGE_TAKING = "kidnapping-hostage-taking"  # 9
    ICC_CRIMES = "icc-crimes"  # 10
    AIRCRAFT_SHIP_SEIZURE = "aircraft-ship-seizure"  # 11
    RAPE = "rape"  # 12
    ENVIRONMENTAL_CRIME = "environmental-crime"  # 13
    ORGANISED_ARMED_ROBBERY = "organised-armed-robbery"  # 14
    SABOTAGE = "sabotage"  # 15
    CRIMINAL_ORGANISATION = "criminal-organisation"  # 16


class Art6_3Condition(StrEnum):
    """The condition of EU AI Act Art. 6(3), second subparagraph, that a derogation relies on."""

    A = "a"  # narrow procedural task
    B = "b"  # improves the result of a previously completed human activity
    C = "c"  # detects decision-making patterns without replacing human assessment
    D = "d"  # preparatory task to an assessment


SUBNATIONAL_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}(?:-[A-Z]{2,5})?$"
"""An ISO 3166-2 subdivision (``US-CO``), optionally a city within it (``US-NY-NYC``)."""
