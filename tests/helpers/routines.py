"""Small routines for the engine tests, built from dicts (valid by the routine models)."""

from __future__ import annotations

from typing import Any

from coach.routine import Routine


def massage(title: str, seconds: int, side: str = "both", **extra: Any) -> dict[str, Any]:
    return {"type": "massage", "title": title, "instruction": f"Do {title.lower()}.",
            "seconds": seconds, "area": "shoulders", "side": side, **extra}  # fmt: skip


def breathing(title: str, pattern: Any, cycles: int) -> dict[str, Any]:
    return {"type": "breathing", "title": title, "pattern": pattern, "cycles": cycles}


def rest(title: str, seconds: int) -> dict[str, Any]:
    return {"type": "rest", "title": title, "seconds": seconds}


def make_routine(*steps: dict[str, Any], id: str = "test-routine") -> Routine:
    return Routine.model_validate(
        {"format": 1, "id": id, "title": "Test routine", "cautions": ["Be gentle."], "steps": list(steps)}
    )


def sample_routine() -> Routine:
    """Breathing (box, 2 cycles = 32 s), massage each side 10 s with gentler, rest 5 s: 57 s."""
    return make_routine(
        breathing("Box breaths", "box", 2),
        massage("Knead the shoulder", 10, side="each", gentler="Use flat fingers."),
        rest("Notice", 5),
    )
