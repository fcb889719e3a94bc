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

# Areas as words for sentences ("lower back", not "lower-back"); the rest read as they are.
_AREA_WORDS = {"upper-back": "upper back", "lower-back": "lower back",
               "forearms-hands": "forearms and hands", "whole-body": "whole body"}  # fmt: skip


def area_words(area: str) -> str:
    """A body area (AREAS) as people write it in a sentence: "lower back", "forearms and
    hands"; any other text comes back unchanged."""
    return _AREA_WORDS.get(area, area)
