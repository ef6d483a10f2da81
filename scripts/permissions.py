"""Write ``docs/permissions.md`` from the policy table (a test fails when it drifts).

Run ``python -m scripts.permissions`` from the repository root after changing
``src/gaio/services/permissions.py``.
"""

from __future__ import annotations

from pathlib import Path

from gaio.actors import Role
from gaio.services.permissions import POLICY, Scope

_HEADER = """# Who may do what

Generated from the policy table in `src/gaio/services/permissions.py` by
`python -m scripts.permissions`; `tests/services/test_permissions.py` keeps it current and
checks every service against it. Deny by default: a blank cell is a refusal.

Scopes: **all** — every object; **own** — objects of the actor's own organisation (the
provider of a system, the holder of a licence, the provider of a system an incident is linked
to); **issuer** — licences the actor's organisation issued; **jurisdiction** — objects on a
market within the actor's organisation's jurisdictions; **engaged** — the assessments (and the
evidence) the actor's organisation is engaged to review; **body** — what the actor's
certification body issued; **self** — the actor's own account.

"""


def render() -> str:
    roles = list(Role)
    lines = [
        "| action | what | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action in POLICY.values():
        cells = [str(action.allowed[r].value) if r in action.allowed else "" for r in roles]
        lines.append(f"| `{action.name}` | {action.does} | " + " | ".join(cells) + " |")
    assert all(isinstance(s, Scope) for a in POLICY.values() for s in a.allowed.values())
    return _HEADER + "\n".join(lines) + "\n"


def main(path: Path = Path("docs/permissions.md")) -> None:
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
