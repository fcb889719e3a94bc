"""The fixed words of the routine format, as plain data (no pydantic: listings use them)."""

AREAS: tuple[str, ...] = (
    "head", "face", "jaw", "neck", "shoulders", "upper-back", "lower-back", "chest",
    "arms", "forearms-hands", "hips", "legs", "feet", "eyes", "breath", "whole-body",
)  # fmt: skip
STEP_TYPES: tuple[str, ...] = ("massage", "stretch", "breathing", "rest")
SIDES: tuple[str, ...] = ("left", "right", "both", "each")
PRESSURES: tuple[str, ...] = ("light", "medium", "firm")
# A plan's weekday codes, Monday first (`date.weekday()` indexes them).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
