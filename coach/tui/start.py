"""A session the app is asked to start with more than a routine: `coach run ROUTINE` (given
ratings, speed, leave after) or a plan's item (its plan id). No Textual, no pydantic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.library import RoutineInfo


@dataclass(frozen=True)
class StartRequest:
    info: RoutineInfo
    pre: int | None = None  # given up front: the app does not ask
    post: int | None = None
    plan: str | None = None
    speed: float = 1.0  # > 1 previews faster and records nothing
    exit_after: bool = False  # `coach run`: leave the app when the session ends

    @property
    def preview(self) -> bool:
        return self.speed != 1.0
