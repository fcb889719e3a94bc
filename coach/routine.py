"""Routine models (format 1): what a routine file may say, checked strictly.

The published JSON Schema (`routines/routine.schema.json`) is generated from these models, so
an editor catches what `coach validate` catches. Unknown keys are errors except `$schema` and
keys that start with `x-`, on every object.

Types are strict, as JSON Schema's are: "30" is not 30, true is not 1. A number with a zero
fraction (30.0) is the whole number 30, as JSON Schema says it is. Patterns are written so
that they mean the same in pydantic (Python's `re`), in Python's jsonschema and in an editor
(ECMA-262): `$(?!\n)` ends the text even where Python's `$` would also match before a final
line break. A test feeds generated documents to both and fails on any disagreement.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from coach.breathing import BREATH_WORDS, PRESETS, cycles_for_seconds, pattern_words
from coach.text import HIDDEN_RANGES, describe_hidden, hidden_character
from coach.vocabulary import AREAS, PRESSURES, SIDES, STEP_TYPES

FORMAT = 1
MAX_TOTAL_SECONDS = 2 * 60 * 60
# The end of the text in every regex dialect: Python's `$` also matches before a final "\n".
END = r"$(?!\n)"
ID_PATTERN = rf"^[a-z0-9][a-z0-9-]{{1,63}}{END}"
TAG_PATTERN = rf"^[a-z0-9][a-z0-9-]{{0,39}}{END}"


def _class_part(code: int) -> str:
    # A \uXXXX escape means the same in Python's and JavaScript's regular expressions; a
    # character beyond U+FFFF is written as itself (the schema file stores it as a JSON
    # escape), since the two dialects spell its escape differently.
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


# No character that `coach.text.visible` would replace (one rule for what text may hold,
# the same as history imports and every output use): control characters (C0, DEL, C1),
# bidirectional controls and marks, invisible format characters (U+00AD, U+200B, U+FEFF,
# the tag characters; not ZWNJ and ZWJ, which only shape emoji and scripts), line and
# paragraph separators, and lone surrogates. They could make a routine's text display as
# something other than what it says, or act on a terminal.
_CONTROLS = "".join(
    _class_part(low) + (f"-{_class_part(high)}" if high > low else "") for low, high in HIDDEN_RANGES
)
# ... and not blank: at least one character that is not white space. White space is what
# Python's str.isspace() or JavaScript's \s call so (less the control characters): spelt out,
# because the two disagree (U+FEFF).
_BLANK_RANGES = ((0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029),
                 (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF))  # fmt: skip
BLANKS = frozenset(chr(c) for low, high in _BLANK_RANGES for c in range(low, high + 1))
_BLANK_CLASS = "".join(f"\\u{low:04x}" + (f"-\\u{high:04x}" if high > low else "")
                       for low, high in _BLANK_RANGES)  # fmt: skip
PLAIN_TEXT_PATTERN = rf"^[^{_CONTROLS}]*[^{_CONTROLS}{_BLANK_CLASS}][^{_CONTROLS}]*{END}"

Area = Literal[AREAS]  # type: ignore[valid-type]
Side = Literal[SIDES]  # type: ignore[valid-type]
Pressure = Literal[PRESSURES]  # type: ignore[valid-type]
Breath = Literal[tuple(BREATH_WORDS)]  # type: ignore[valid-type]
PresetName = Literal[tuple(PRESETS)]  # type: ignore[valid-type]


def check_plain_text(value: str) -> str:
    """`value` unchanged if it holds no character that `coach.text.hidden_character` finds
    (control characters, bidi controls, invisible format characters, line separators, lone
    surrogates) and is not blank; else a pydantic error naming the character and its
    position (from 1), e.g. "a bidirectional control U+202E at position 4"."""
    char = hidden_character(value)
    if char is not None:
        raise PydanticCustomError(
            "control_character",
            "{what} at position {pos} (text is shown literally; use plain sentences "
            "without tabs, line breaks or invisible characters)",
            {"what": describe_hidden(char), "pos": value.index(char) + 1},
        )
    if all(ch in BLANKS for ch in value):
        raise PydanticCustomError("blank_text", "must not be blank")
    return value


def whole_number(value: Any) -> Any:
    """30.0 is the whole number 30 (JSON Schema's "integer" says so too); anything else is
    left for the strict int check, which refuses "30", true and 30.5."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def whole(**constraints: Any) -> Any:
    """A whole-number field with pydantic Field constraints (ge, le, description): the
    constraints go on the int itself, so that the schema gets minimum and maximum."""
    return Annotated[int, Field(**constraints), BeforeValidator(whole_number)]


def _format_one(value: Any) -> Any:
    if type(value) is float and value == 1:
        return 1
    if type(value) is bool:  # true == 1 in Python, not in JSON
        raise PydanticCustomError(
            "format_type",
            "unsupported format {shown}; this version of Coach reads format 1",
            {"shown": "true" if value else "false"},
        )
    return value


FormatOne = Annotated[
    Literal[1],
    BeforeValidator(_format_one),
    Field(description="The version of the file format: 1."),
]


def _text(max_length: int) -> Any:
    return Annotated[
        str,
        Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": PLAIN_TEXT_PATTERN}),
        AfterValidator(check_plain_text),
    ]


Title = _text(120)
ShortText = _text(300)
LongText = _text(2000)
Seconds = whole(ge=5, le=1800, description="Length in whole seconds.")


def _strip_extension_keys(data: Any) -> Any:
    """`x-…` keys are the author's own notes: accepted everywhere and ignored."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
    return data


def _schema_allows_extensions(schema: dict[str, Any]) -> None:
    schema["patternProperties"] = {"^x-": {}}
    # An optional field is absent, not null, in a file an editor helps to write: a `null`
    # default would be offered as the value to fill in (issue 13: no null defaults).
    for prop in schema.get("properties", {}).values():
        if prop.get("default", ...) is None:
            del prop["default"]


class Strict(BaseModel):
    """Base of every routine object: unknown keys are errors, text fields are plain."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        regex_engine="python-re",  # the patterns end with a lookahead (see END)
        frozen=True,
        str_strip_whitespace=False,
        json_schema_extra=_schema_allows_extensions,
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        return _strip_extension_keys(data)


# Who wrote a routine (a therapist, say); shown, never used.
class Author(Strict):
    name: Annotated[Title, Field(description="The author's name, as it should be shown.")]
    role: Annotated[ShortText | None, Field(description="What they do, e.g. \"massage therapist\".")] = None
    contact: Annotated[ShortText | None, Field(description="How to reach them (shown, never used).")] = None


# One phase of a custom breathing pattern, 0.5-30 s long.
class Phase(Strict):
    breath: Annotated[Breath, Field(description="What the person does in this phase.")]
    seconds: Annotated[float, Field(ge=0.5, le=30, description="Length of the phase in seconds (0.5-30).")]


_MOVING_BREATHS = ["inhale", "top-up", "exhale"]


class CustomPattern(Strict):
    # A single exhale is a real pattern (4-7-8 starts by emptying the lungs); only holds is not.
    phases: Annotated[
        list[Phase],
        Field(min_length=1, max_length=12,
              description="One breathing cycle, in order: at least one inhale, top-up or exhale.",
              json_schema_extra={"contains": {"properties": {"breath": {"enum": _MOVING_BREATHS}}}}),
    ]  # fmt: skip

    @model_validator(mode="after")
    def _breathes(self) -> CustomPattern:
        if not any(p.breath in _MOVING_BREATHS for p in self.phases):
            raise PydanticCustomError(
                "pattern_only_holds",
                "a pattern needs at least one inhale, top-up or exhale phase, not only holds",
            )
        return self


def _breathing_schema_extra(schema: dict[str, Any]) -> None:
    _schema_allows_extensions(schema)
    schema["oneOf"] = [{"required": ["cycles"]}, {"required": ["seconds"]}]
    schema["description"] = (
        "A paced breathing step: exactly one of `cycles` or `seconds`. Coach also checks what "
        "JSON Schema cannot state: `cycles` times the pattern's length is at most 1800 s."
    )


def _pattern_kind(value: Any) -> str:
    return "preset" if isinstance(value, str) else "custom"


Pattern = Annotated[
    Annotated[PresetName, Tag("preset")] | Annotated[CustomPattern, Tag("custom")],
    Discriminator(
        _pattern_kind,
        custom_error_type="pattern_type",
        custom_error_message="expected a preset name or an object with 'phases'",
    ),
    Field(description="A preset name (box, 4-7-8, coherent, resonance, extended-exhale, "
                      "cyclic-sigh) or {\"phases\": [...]}."),
]


def _reps_schema_extra(schema: dict[str, Any]) -> None:
    _schema_allows_extensions(schema)
    schema["description"] = (
        "Paced repetitions: hold, then release, `count` times, with a cue at each. Coach also "
        "checks what JSON Schema cannot state: count × (hold + release) is 5-1800 s."
    )


# Repetitions inside a massage or stretch step (e.g. "hold 8 s, release 4 s, three times").
class Reps(Strict):
    count: whole(ge=1, le=30, description="How many holds (1-30).")  # type: ignore[valid-type]
    hold: whole(ge=1, le=120, description="Seconds of each hold (1-120).")  # type: ignore[valid-type]
    release: whole(ge=1, le=120,  # type: ignore[valid-type]
                   description="Seconds of rest after each hold (1-120).")

    model_config = ConfigDict(json_schema_extra=_reps_schema_extra)

    @property
    def seconds(self) -> int:
        """Length of one pass: count × (hold + release), in seconds."""
        return self.count * (self.hold + self.release)

    @property
    def words(self) -> str:
        """The dose in words: "3 × hold 8 s, release 4 s"."""
        return f"{self.count} × hold {self.hold} s, release {self.release} s"


# The gentler version of a breathing step: another pattern, and what to tell the person.
class BreathingGentler(Strict):
    pattern: Pattern
    text: Annotated[LongText, Field(description="What the gentler version is, e.g. \"Leave out the holds.\"")]

    @cached_property
    def phases(self) -> tuple[tuple[str, float], ...]:
        """One cycle of the gentler pattern as (breath, seconds) pairs."""
        return _phases_of(self.pattern)


def _phases_of(pattern: Any) -> tuple[tuple[str, float], ...]:
    if isinstance(pattern, str):
        return PRESETS[pattern]
    return tuple((p.breath, p.seconds) for p in pattern.phases)


StepTitle = Annotated[Title, Field(description="The step's name: shown, and spoken by the voice.")]
Instruction = Annotated[LongText, Field(description="What to do, in plain sentences.")]
StepArea = Annotated[Area, Field(description="The body area the step works on.")]
StepSide = Annotated[Side | None, Field(
    description="left, right, both (paired muscles, at once), or each (left then right, with a "
                "cue to switch). Absent for a step on the midline (chin tucks, pelvic tilts): "
                "no side word is shown.")]
Technique = Annotated[ShortText | None, Field(description="The technique's name, e.g. kneading.")]
TextGentler = Annotated[LongText | None, Field(
    description="A gentler way to do the step, shown on request (the g key).")]
StepSeconds = Annotated[Seconds, Field(
    description="Length in whole seconds (5-1800); per side for side each.")]


def _timed_schema_extra(schema: dict[str, Any]) -> None:
    _schema_allows_extensions(schema)
    schema["oneOf"] = [{"required": ["seconds"]}, {"required": ["reps"]}]


# A step whose count or length is the prescription itself (four 4-7-8 breaths, three sighs,
# the 20 seconds of 20-20-20): `coach run --minutes` and the app's length choice leave it as
# written (coach.scaling).
Scalable = Annotated[bool, Field(
    description="false when the step's count or length is the dose itself (four 4-7-8 breaths, "
                "three sighs): a length chosen for the routine (`coach run --minutes`) scales "
                "the other steps only. Default true.")]


class _StepBase(Strict):
    title: StepTitle
    scalable: Scalable = True

    @property
    def sides(self) -> tuple[str | None, ...]:
        """The passes the engine makes: `each` runs left then right."""
        side = getattr(self, "side", None)
        return ("left", "right") if side == "each" else (side,)

    @property
    def pass_seconds(self) -> float:
        """Length of one pass (one side, or the whole step)."""
        raise NotImplementedError

    @property
    def total_seconds(self) -> float:
        return self.pass_seconds * len(self.sides)


class _TimedStep(_StepBase):
    """A massage or stretch step: exactly one of `seconds` or `reps`."""

    # Absent rather than null: the schema's oneOf counts a present key, null or not.
    seconds: StepSeconds = None  # type: ignore[assignment]
    reps: Annotated[Reps, Field(description="Paced repetitions instead of `seconds`.")] = None  # type: ignore[assignment]

    model_config = ConfigDict(json_schema_extra=_timed_schema_extra)

    @model_validator(mode="after")
    def _seconds_xor_reps(self) -> _TimedStep:
        if self.seconds is not None and self.reps is not None:
            raise PydanticCustomError("seconds_xor_reps", "give 'seconds' or 'reps', not both")
        if self.seconds is None and self.reps is None:
            raise PydanticCustomError("seconds_xor_reps", "give 'seconds' or 'reps'")
        if self.reps is not None and not 5 <= self.reps.seconds <= 1800:
            raise PydanticCustomError(
                "reps_length",
                "these reps last {secs} s (count × (hold + release)); a step lasts 5-1800 s",
                {"secs": self.reps.seconds},
            )
        return self

    @property
    def pass_seconds(self) -> float:
        if self.reps is not None:
            return float(self.reps.seconds)
        return float(self.seconds)


class MassageStep(_TimedStep):
    type: Annotated[Literal["massage"], Field(description="A self-massage step.")]
    instruction: Instruction
    area: StepArea
    side: StepSide = None
    pressure: Annotated[Pressure, Field(
        description="light, medium or firm, on a comfort scale: never past "
                    "\"strong but easy to breathe through\".")] = "medium"
    technique: Technique = None
    gentler: TextGentler = None


class StretchStep(_TimedStep):
    type: Annotated[Literal["stretch"], Field(description="A stretch.")]
    instruction: Instruction
    area: StepArea
    side: StepSide = None
    technique: Technique = None
    gentler: TextGentler = None


class BreathingStep(_StepBase):
    type: Annotated[Literal["breathing"], Field(description="Paced breathing.")]
    instruction: Annotated[LongText | None, Field(description="What to do, in plain sentences.")] = None
    pattern: Pattern
    # Absent rather than null: the schema's oneOf counts a present key, null or not.
    cycles: whole(ge=1, le=360, description="How many breathing cycles (1-360).") = None  # type: ignore[valid-type]
    seconds: Annotated[Seconds, Field(
        description="Length in whole seconds (5-1800), rounded to whole cycles.")] = None  # type: ignore[assignment]
    gentler: Annotated[BreathingGentler | None, Field(
        description="A gentler pattern the person can switch to (the g key), with a line "
                    "saying what changes.")] = None

    model_config = ConfigDict(json_schema_extra=_breathing_schema_extra)

    @model_validator(mode="after")
    def _cycles_xor_seconds(self) -> BreathingStep:
        if (self.cycles is None) == (self.seconds is None):
            raise PydanticCustomError(
                "cycles_xor_seconds", "give exactly one of 'cycles' or 'seconds'"
            )
        if self.pass_seconds > 1800:
            raise PydanticCustomError(
                "step_too_long",
                "this breathing step lasts {secs} s; a step may last at most 1800 s",
                {"secs": f"{self.pass_seconds:g}"},
            )
        return self

    @cached_property
    def phases(self) -> tuple[tuple[str, float], ...]:
        """One cycle as (breath, seconds) pairs."""
        return _phases_of(self.pattern)

    @property
    def pattern_name(self) -> str:
        """The pattern with its counts (`coach.breathing.pattern_words`): "box: inhale 4 s,
        hold 4 s, exhale 4 s, hold-out 4 s" for a preset, "inhale 4 s, exhale 6 s" for
        custom phases."""
        return pattern_words(self.phases, self.pattern if isinstance(self.pattern, str) else None)

    @property
    def cycle_seconds(self) -> float:
        """Seconds of one breathing cycle: the sum of its phases."""
        return sum(seconds for _, seconds in self.phases)

    @property
    def resolved_cycles(self) -> int:
        """Cycles per pass: `cycles` as given, or the whole number nearest to `seconds`
        (at least one: `coach.breathing.cycles_for_seconds`)."""
        if self.cycles is not None:
            return self.cycles
        assert self.seconds is not None
        return cycles_for_seconds(self.seconds, self.cycle_seconds)

    @property
    def pass_seconds(self) -> float:
        return self.resolved_cycles * self.cycle_seconds


class RestStep(_StepBase):
    type: Annotated[Literal["rest"], Field(description="A rest: nothing to do but notice.")]
    instruction: Annotated[LongText | None, Field(description="What to notice, in plain sentences.")] = None
    seconds: StepSeconds

    @property
    def pass_seconds(self) -> float:
        return float(self.seconds)


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("type")
        return kind if isinstance(kind, str) else None
    return getattr(value, "type", None)


class _StepTypeSchema:
    """Publishes the step union keyed on `type`: an `if`/`then` per step type instead of a
    bare `oneOf`, so that a validator (an editor, Python's jsonschema) checks a step against
    its own type's schema only, and names the wrong field instead of saying "not valid under
    any of the given schemas". `discriminator` (OpenAPI's keyword, ignored by JSON Schema
    validators) names the mapping for tools that read it."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        generated = handler(core_schema)
        refs = [branch["$ref"] for branch in generated["oneOf"]]
        # The schema of type "massage" is MassageStep's (refs are renamed after this hook).
        mapping = {kind: next(ref for ref in refs if f"{kind.capitalize()}Step" in ref)
                   for kind in STEP_TYPES}  # fmt: skip
        return {
            "type": "object",
            "description": "A step; its `type` says which fields it takes.",
            "required": ["type"],
            "properties": {"type": {"enum": list(STEP_TYPES)}},
            "discriminator": {"propertyName": "type", "mapping": mapping},
            "allOf": [
                {"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                 "then": {"$ref": ref}}
                for kind, ref in mapping.items()
            ],
        }  # fmt: skip


Step = Annotated[
    Annotated[MassageStep, Tag("massage")]
    | Annotated[StretchStep, Tag("stretch")]
    | Annotated[BreathingStep, Tag("breathing")]
    | Annotated[RestStep, Tag("rest")],
    Discriminator(
        _step_kind,
        custom_error_type="step_type",
        custom_error_message="'type' must be one of: " + ", ".join(STEP_TYPES),
    ),
    _StepTypeSchema(),
]


def _routine_schema_extra(schema: dict[str, Any]) -> None:
    _schema_allows_extensions(schema)
    schema["description"] = (
        "A guided routine. Coach also checks what JSON Schema cannot state: the routine "
        "lasts at most 120 minutes in all, each side of an `each` step counted."
    )


# A routine file. (Model classes have comments, not docstrings: a docstring would
# become the description of the published schema.)
class Routine(Strict):
    schema_: str | None = Field(default=None, alias="$schema",
                                description="Where an editor finds this schema, e.g. ./routine.schema.json.")
    format: FormatOne
    id: Annotated[str, Field(pattern=ID_PATTERN,
                             description="Lower-case slug: a-z, 0-9 and -, 2-64 characters.")]
    title: Annotated[Title, Field(description="The routine's name, as listed and shown.")]
    summary: Annotated[ShortText | None, Field(description="One or two sentences: what it is for.")] = None
    areas: Annotated[list[Area], Field(max_length=len(AREAS),
                                       description="The body areas it works on (for filters).")] = []
    tags: Annotated[list[Annotated[str, Field(pattern=TAG_PATTERN)]],
                    Field(max_length=20, description="Lower-case words to filter by, e.g. desk.")
                    ] = []  # fmt: skip
    equipment: Annotated[list[ShortText], Field(
        max_length=10, description="What the person needs, e.g. a tennis ball.")] = []
    cautions: Annotated[list[LongText], Field(max_length=20,
                                              description="Read before the first session: who should not do "
                                                          "it and how to work safely.")] = []
    stop_if: Annotated[list[LongText], Field(max_length=20,
                                             description="Red flags: stop and get help if any of these "
                                                         "happens.")] = []
    author: Annotated[Author | None, Field(description="Who wrote the routine (shown, never used).")] = None
    steps: Annotated[list[Step], Field(min_length=1, max_length=200,
                                       description="The steps, in order (1-200).")]

    model_config = ConfigDict(json_schema_extra=_routine_schema_extra)

    @model_validator(mode="after")
    def _at_most_two_hours(self) -> Routine:
        total = self.total_seconds
        if total > MAX_TOTAL_SECONDS:
            raise PydanticCustomError(
                "routine_too_long",
                "the routine lasts {mins} minutes; the limit is 120 minutes",
                {"mins": f"{total / 60:.0f}"},
            )
        return self

    @property
    def total_seconds(self) -> float:
        """Planned seconds of the whole routine, each side of an `each` step counted."""
        return sum(step.total_seconds for step in self.steps)

    @property
    def kinds(self) -> list[str]:
        """Step types in order of first appearance (for filters)."""
        return list(dict.fromkeys(step.type for step in self.steps))


def routine_models() -> list[type[Strict]]:
    """Every model a routine file is made of, for `coach.validation.load_model`, which maps
    each model's own errors to located messages (a plan's own routines use them too)."""
    return [Routine, MassageStep, StretchStep, BreathingStep, RestStep, Author, CustomPattern,
            Phase, Reps, BreathingGentler]  # fmt: skip


def routine_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a routine file, generated from `Routine`: what
    `coach schema` prints and `routines/routine.schema.json` holds."""
    schema = Routine.model_json_schema(by_alias=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://coach.invalid/routine.schema.json",
        **schema,
    }
    schema["title"] = "Coach routine (format 1)"
    return schema
