"""Routines for the player's tests (no tests here)."""

from __future__ import annotations

from typing import Any

# A routine with what the player shows on its own: a reps step with firm pressure and a
# gentler version, the routine's own red flags, and a breathing step whose gentler version
# leaves out the holds.
GUIDED: dict[str, Any] = {
    "format": 1,
    "id": "guided",
    "title": "Guided release",
    "summary": "A reps step, a breathing step with a gentler pattern, a rest.",
    "areas": ["shoulders", "breath"],
    "stop_if": ["Pain spreads into the arm or hand."],
    "steps": [
        {"type": "massage", "title": "Hold the tender spot", "area": "shoulders", "side": "left",
         "pressure": "firm", "technique": "ischemic compression",
         "reps": {"count": 3, "hold": 8, "release": 4},
         "instruction": "Press the tender spot with two fingers and hold.",
         "gentler": "Press with the flat of the hand instead."},
        {"type": "breathing", "title": "Box breathing", "pattern": "box", "cycles": 2,
         "gentler": {"pattern": "extended-exhale", "text": "Leave out the holds."}},
        {"type": "rest", "title": "Notice the difference", "seconds": 10},
    ],
}  # fmt: skip
