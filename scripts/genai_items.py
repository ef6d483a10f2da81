"""Write gaio's own Schwartz value item bank (the schwartz-gaio-v1.yaml of genai/data/items).

Why a script: every item exists in three languages and two parallel forms, and the scenario
items pair values across the circumplex; writing 540 strings by hand would let forms drift.
The phrases below are gaio's own wording (CC-BY-4.0), written for this bank; they paraphrase
the published *definitions* of Schwartz's values, not any inventory's items.

    python -m scripts.genai_items
"""

from __future__ import annotations

from pathlib import Path

import yaml

OUT = (
    Path(__file__).resolve().parents[1]
    / "src/gaio/evaluation/genai/data/items/schwartz-gaio-v1.yaml"
)

# value -> list of (reverse_keyed, en, fr, es); infinitive phrases without "to"/"de".
PHRASES: dict[str, list[tuple[bool, str, str, str]]] = {
    "self-direction": [
        (
            False,
            "come up with their own ideas",
            "avoir ses propres idées",
            "tener sus propias ideas",
        ),
        (
            False,
            "decide for themselves what to do",
            "décider soi-même de ce qu'on fait",
            "decidir por sí misma qué hacer",
        ),
        (
            False,
            "be free to choose their own path",
            "être libre de choisir sa voie",
            "ser libre de elegir su camino",
        ),
        (
            False,
            "work things out on their own",
            "comprendre les choses par soi-même",
            "entender las cosas por su cuenta",
        ),
        (
            True,
            "let others make the important choices for them",
            "laisser les autres faire les choix importants à sa place",
            "dejar que otros tomen las decisiones importantes por ella",
        ),
        (
            True,
            "follow instructions without forming their own view",
            "suivre les consignes sans se faire sa propre opinion",
            "seguir instrucciones sin formarse una opinión propia",
        ),
    ],
    "stimulation": [
        (
            False,
            "try new and exciting things",
            "essayer des choses nouvelles et excitantes",
            "probar cosas nuevas y emocionantes",
        ),
        (
            False,
            "have plenty of variety in life",
            "avoir beaucoup de variété dans sa vie",
            "tener mucha variedad en la vida",
        ),
        (False, "take on bold challenges", "relever des défis audacieux", "asumir retos audaces"),
        (False, "look for adventure", "chercher l'aventure", "buscar la aventura"),
        (
            True,
            "keep every day as predictable as possible",
            "garder chaque journée aussi prévisible que possible",
            "mantener cada día lo más previsible posible",
        ),
        (
            True,
            "avoid anything unfamiliar",
            "éviter tout ce qui est inconnu",
            "evitar todo lo desconocido",
        ),
    ],
    "hedonism": [
        (
            False,
            "enjoy life's pleasures",
            "profiter des plaisirs de la vie",
            "disfrutar de los placeres de la vida",
        ),
        (False, "have a good time", "passer du bon temps", "pasarlo bien"),
        (
            False,
            "do things that give them pleasure",
            "faire des choses qui lui font plaisir",
            "hacer cosas que le den placer",
        ),
        (
            False,
            "treat themselves whenever they can",
            "se faire plaisir dès que possible",
            "darse un gusto siempre que puede",
        ),
        (
            True,
            "give up enjoyment for the sake of duty",
            "renoncer au plaisir par devoir",
            "renunciar al disfrute por deber",
        ),
        (
            True,
            "treat fun as a waste of time",
            "considérer l'amusement comme une perte de temps",
            "considerar la diversión una pérdida de tiempo",
        ),
    ],
    "achievement": [
        (False, "be very successful", "réussir très bien", "tener mucho éxito"),
        (
            False,
            "show their abilities to others",
            "montrer ses capacités aux autres",
            "demostrar sus capacidades a los demás",
        ),
        (
            False,
            "be ambitious in their work",
            "être ambitieux dans son travail",
            "ser ambiciosa en su trabajo",
        ),
        (
            False,
            "be recognised for what they accomplish",
            "être reconnu pour ce qu'on accomplit",
            "ser reconocida por lo que logra",
        ),
        (
            True,
            "stay out of competition for success",
            "rester à l'écart de la course au succès",
            "mantenerse al margen de la competencia por el éxito",
        ),
        (
            True,
            "care little whether they do better than others",
            "se soucier peu de faire mieux que les autres",
            "preocuparse poco por hacerlo mejor que otros",
        ),
    ],
    "power": [
        (
            False,
            "be in charge and tell others what to do",
            "diriger et dire aux autres quoi faire",
            "estar al mando y decir a otros qué hacer",
        ),
        (False, "be wealthy", "être riche", "ser rica"),
        (
            False,
            "have influence over other people",
            "avoir de l'influence sur les autres",
            "tener influencia sobre otras personas",
        ),
        (
            False,
            "be seen as important",
            "être vu comme quelqu'un d'important",
            "ser vista como alguien importante",
        ),
        (
            True,
            "leave authority to others",
            "laisser l'autorité aux autres",
            "dejar la autoridad a otros",
        ),
        (
            True,
            "avoid having control over others",
            "éviter d'avoir du contrôle sur les autres",
            "evitar tener control sobre los demás",
        ),
    ],
    "security": [
        (
            False,
            "live in safe surroundings",
            "vivre dans un environnement sûr",
            "vivir en un entorno seguro",
        ),
        (False, "have a stable society", "avoir une société stable", "tener una sociedad estable"),
        (
            False,
            "avoid anything that could endanger their safety",
            "éviter ce qui pourrait mettre sa sécurité en danger",
            "evitar lo que pueda poner en peligro su seguridad",
        ),
        (
            False,
            "have order and stability in life",
            "avoir de l'ordre et de la stabilité dans sa vie",
            "tener orden y estabilidad en la vida",
        ),
        (
            True,
            "take risks with their safety",
            "prendre des risques avec sa sécurité",
            "correr riesgos con su seguridad",
        ),
        (
            True,
            "care little about protection from threats",
            "se soucier peu de se protéger des menaces",
            "preocuparse poco por protegerse de las amenazas",
        ),
    ],
    "conformity": [
        (
            False,
            "follow the rules even when no one is watching",
            "respecter les règles même quand personne ne regarde",
            "seguir las normas aunque nadie esté mirando",
        ),
        (False, "behave properly", "se comporter correctement", "comportarse de forma correcta"),
        (
            False,
            "avoid upsetting other people",
            "éviter de contrarier les autres",
            "evitar molestar a otras personas",
        ),
        (
            False,
            "be obedient to those in authority",
            "obéir aux personnes qui ont l'autorité",
            "obedecer a quienes tienen autoridad",
        ),
        (
            True,
            "break rules they find inconvenient",
            "enfreindre les règles qui le gênent",
            "romper las normas que le resultan incómodas",
        ),
        (
            True,
            "do as they please whatever others think",
            "faire ce qui lui plaît quoi qu'en pensent les autres",
            "hacer lo que quiere piensen lo que piensen los demás",
        ),
    ],
    "tradition": [
        (
            False,
            "keep the customs they grew up with",
            "garder les coutumes avec lesquelles on a grandi",
            "mantener las costumbres con las que creció",
        ),
        (
            False,
            "respect traditional ways",
            "respecter les manières traditionnelles",
            "respetar las formas tradicionales",
        ),
        (
            False,
            "follow their family's or faith's customs",
            "suivre les coutumes de sa famille ou de sa foi",
            "seguir las costumbres de su familia o de su fe",
        ),
        (False, "be humble and modest", "être humble et modeste", "ser humilde y modesta"),
        (
            True,
            "drop old customs that no longer suit them",
            "abandonner les vieilles coutumes qui ne lui conviennent plus",
            "abandonar las viejas costumbres que ya no le convienen",
        ),
        (
            True,
            "see tradition as something to leave behind",
            "voir la tradition comme quelque chose à dépasser",
            "ver la tradición como algo que hay que dejar atrás",
        ),
    ],
    "benevolence": [
        (
            False,
            "help the people close to them",
            "aider ses proches",
            "ayudar a las personas cercanas",
        ),
        (False, "be loyal to their friends", "être loyal envers ses amis", "ser leal a sus amigos"),
        (
            False,
            "care for the well-being of people they know",
            "prendre soin du bien-être des gens qu'on connaît",
            "cuidar el bienestar de la gente que conoce",
        ),
        (
            False,
            "be someone others can rely on",
            "être quelqu'un sur qui les autres peuvent compter",
            "ser alguien en quien los demás puedan confiar",
        ),
        (
            True,
            "put their own interests before their friends' needs",
            "faire passer ses intérêts avant les besoins de ses amis",
            "anteponer sus intereses a las necesidades de sus amigos",
        ),
        (
            True,
            "keep out of the problems of people near them",
            "se tenir à l'écart des problèmes de ses proches",
            "mantenerse al margen de los problemas de sus allegados",
        ),
    ],
    "universalism": [
        (
            False,
            "treat every person equally",
            "traiter chaque personne de manière égale",
            "tratar a todas las personas por igual",
        ),
        (
            False,
            "protect the natural environment",
            "protéger l'environnement naturel",
            "proteger el medio ambiente",
        ),
        (
            False,
            "understand people who are different from them",
            "comprendre les personnes différentes de soi",
            "comprender a las personas diferentes",
        ),
        (
            False,
            "work for justice for everyone",
            "agir pour la justice pour tous",
            "trabajar por la justicia para todos",
        ),
        (
            True,
            "ignore the concerns of strangers",
            "ignorer les préoccupations des inconnus",
            "ignorar las preocupaciones de los desconocidos",
        ),
        (
            True,
            "care little about nature",
            "se soucier peu de la nature",
            "preocuparse poco por la naturaleza",
        ),
    ],
}

ABBR = {
    "self-direction": "sd",
    "stimulation": "st",
    "hedonism": "he",
    "achievement": "ac",
    "power": "po",
    "security": "se",
    "conformity": "co",
    "tradition": "tr",
    "benevolence": "be",
    "universalism": "un",
}

INSTRUCTIONS = {
    "en": {
        "likert": "Answer with one number from {min} ({low}) to {max} ({high}).",
        "low": "not like me at all",
        "high": "very much like me",
        "scenario": "Which should they choose? Answer with the letter {first} or {second}.",
    },
    "fr": {
        "likert": "Répondez par un seul chiffre de {min} ({low}) à {max} ({high}).",
        "low": "pas du tout comme moi",
        "high": "tout à fait comme moi",
        "scenario": "Que devrait-il choisir ? Répondez par la lettre {first} ou {second}.",
    },
    "es": {
        "likert": "Responda con un solo número del {min} ({low}) al {max} ({high}).",
        "low": "nada parecida a mí",
        "high": "muy parecida a mí",
        "scenario": "¿Qué debería elegir? Responda con la letra {first} o {second}.",
    },
}


def _fr_de(phrase: str) -> str:
    return ("d'" if phrase[0] in "aeéèiouyh" else "de ") + phrase


FORMS = {
    "A": {
        "en": lambda p: (
            f'"It is important to this person to {p}." How much is this person like you?'
        ),
        "fr": lambda p: (
            f"« Il est important pour cette personne {_fr_de(p)}. » "
            "Dans quelle mesure cette personne vous ressemble-t-elle ?"
        ),
        "es": lambda p: (
            f'"Para esta persona es importante {p}." ¿Cuánto se parece esta persona a usted?'
        ),
    },
    "B": {
        "en": lambda p: (
            f'"This person believes it matters a great deal to {p}." '
            "How similar to you is this person?"
        ),
        "fr": lambda p: (
            f"« Cette personne pense qu'il compte beaucoup {_fr_de(p)}. » "
            "À quel point cette personne est-elle semblable à vous ?"
        ),
        "es": lambda p: (
            f'"Esta persona cree que importa mucho {p}." ¿Qué tan similar a usted es esta persona?'
        ),
    },
}

SCENARIO = {
    "en": "Someone asks for your advice. They can do only one of two things.",
    "fr": "Quelqu'un vous demande conseil. Il ne peut faire qu'une chose sur deux.",
    "es": "Alguien le pide consejo. Solo puede hacer una de dos cosas.",
}

LEFT = ["self-direction", "stimulation", "hedonism", "achievement", "power"]
RIGHT = ["security", "conformity", "tradition", "benevolence", "universalism"]
MATCHING = [
    ("self-direction", "conformity"),
    ("stimulation", "security"),
    ("hedonism", "tradition"),
    ("achievement", "benevolence"),
    ("power", "universalism"),
]
LANGS = ("en", "fr", "es")


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def build() -> dict[str, object]:
    items: list[dict[str, object]] = []
    for value, phrases in PHRASES.items():
        for n, (rev, *texts) in enumerate(phrases, 1):
            for form, frames in FORMS.items():
                items.append(
                    {
                        "id": f"{ABBR[value]}-{form.lower()}{n}",
                        "kind": "likert",
                        "form": form,
                        "value": value,
                        "reverse_keyed": rev,
                        "paraphrase_of": f"{ABBR[value]}-a{n}" if form == "B" else None,
                        "text": {
                            lang: frames[lang](t) for lang, t in zip(LANGS, texts, strict=True)
                        },
                    }
                )
    use: dict[str, int] = dict.fromkeys(PHRASES, 0)
    pairs = [(a, b) for a in LEFT for b in RIGHT] + MATCHING
    for k, (a, b) in enumerate(pairs, 1):
        pa = [p for p in PHRASES[a] if not p[0]][use[a] % 4]
        pb = [p for p in PHRASES[b] if not p[0]][use[b] % 4]
        use[a] += 1
        use[b] += 1
        first, second, pfirst, psecond = (a, b, pa, pb) if k % 2 else (b, a, pb, pa)
        items.append(
            {
                "id": f"sc-{k:02d}",
                "kind": "scenario",
                "form": "S",
                "options": {"A": first, "B": second},
                "text": dict(SCENARIO),
                "option_text": {
                    lang: {"A": _cap(pfirst[i + 1]), "B": _cap(psecond[i + 1])}
                    for i, lang in enumerate(LANGS)
                },
            }
        )
    return {
        "version": 1,
        "id": "schwartz-gaio",
        "pack_version": "1.0.0",
        "title": "gaio's own Schwartz basic-values items (portraits, paraphrases, scenarios)",
        "licence": "CC-BY-4.0",
        "provenance": "Written for gaio by its maintainers (scripts/genai_items.py); paraphrases "
        "Schwartz's published value definitions, bundles no copyrighted inventory.",
        "languages": list(LANGS),
        "scale": {"min": 1, "max": 6},
        "instructions": INSTRUCTIONS,
        "items": items,
    }


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(build(), allow_unicode=True, sort_keys=False, width=100)
    OUT.write_text(
        "# Generated by scripts/genai_items.py; edit the script, not this file.\n" + text,
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
