"""The active plans a session could count towards, as a person knows them: by client and
therapist (DESIGN.md, Plans: when several active plans include a routine, the app asks and
the plain runner names them). Both shells use these words; the app's dialog is
`coach.tui.dialogs.plan_choice`, the plain runner's line `coach.start.Attribution.notice`.

No Textual, no pydantic: a plan file is read as plain JSON (it was validated on import).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PlanCandidate", "candidate_words", "plan_candidates"]


@dataclass(frozen=True)
class PlanCandidate:
    """An active plan that includes the routine: its id, its client and its therapist's
    name, as the plan file gives them ("" where the file could not be read again)."""

    id: str
    client: str = ""
    therapist: str = ""


def plan_candidates(plans_dir: Path, ids: Sequence[str]) -> list[PlanCandidate]:
    """The plans `ids` (stored in `plans_dir`, `<id>.json`) with their client and therapist,
    in the order given. Reads files: call it from a worker thread. A plan that cannot be
    read again (removed or edited since it was found) keeps its id and empty names: the
    question is still asked, never refused."""
    from coach.errors import CoachError
    from coach.files import read_own_bytes
    from coach.jsonsource import parse_json
    from coach.plan_version_files import current_path

    out = []
    for plan_id in ids:
        path = current_path(plans_dir, plan_id)
        try:
            raw = parse_json(read_own_bytes(path), str(path))
        except (CoachError, OSError):
            out.append(PlanCandidate(plan_id))
            continue
        client = raw.get("client") if isinstance(raw, dict) else None
        therapist = raw.get("therapist") if isinstance(raw, dict) else None
        name = therapist.get("name") if isinstance(therapist, dict) else None
        out.append(
            PlanCandidate(
                plan_id, client if isinstance(client, str) else "", name if isinstance(name, str) else ""
            )
        )
    return out


def candidate_words(candidate: PlanCandidate) -> str:
    """One line for the plain runner: "sam-neck (Sam R., from Jo Park)", or the id alone
    when the file gave no names. Raw text from the plan file: the caller makes it safe
    for the terminal (`coach.text.visible`)."""
    who = ", from ".join(part for part in (candidate.client, candidate.therapist) if part)
    if candidate.client == "" and candidate.therapist:
        who = f"from {candidate.therapist}"
    return f"{candidate.id} ({who})" if who else candidate.id
