"""The plain runner's caution rule, the app's (coach.usual; DESIGN.md, The app): a routine's
cautions in full before its first session and whenever they (or its stop-if lines) change,
otherwise one line that says how to read them again; the stop-if lines every time."""

from __future__ import annotations

import io
import signal
from pathlib import Path

from coach.history import HistoryStore
from coach.journal import Journal
from coach.library import RoutineInfo
from coach.plain import PlainOptions, PlainRunner, SignalGate, Stop, caution_rule
from coach.plain_words import cautions_read_line
from coach.practice import Practice
from coach.routine import Routine
from coach.usual import Usual, cautions_hash, read_usual, save_usual
from tests.helpers.plain import FakeTime

CAUTIONS = ["Never press on the front of the neck.", "Keep out of the hollow above the collarbone."]
STOP_IF = ["Tingling runs down the arm."]


def routine(cautions: list[str] = CAUTIONS, stop_if: list[str] = STOP_IF) -> Routine:
    return Routine.model_validate({
        "format": 1, "id": "neck", "title": "Neck", "cautions": cautions, "stop_if": stop_if,
        "steps": [{"type": "rest", "title": "Rest", "seconds": 5}],
    })  # fmt: skip


def info(source: str = "user", path: str = "") -> RoutineInfo:
    return RoutineInfo(id="neck", title="Neck", summary="", seconds=5, areas=[], kinds=["rest"], tags=[],
                       equipment=[], cautions=CAUTIONS, steps=1, source=source, path=path)  # fmt: skip


def run(
    tmp_path: Path, r: Routine, options: PlainOptions, answers: list[str] | None = None,
    stop_at_rating: bool = False,
) -> tuple[list[str], list[int]]:
    """Run `r` on a fake clock, recorded; its lines, and the number of lines written at each
    `on_cautions_read` call."""
    out = io.StringIO()
    calls: list[int] = []
    pending = list(answers or [])

    def read(prompt: str) -> str:
        if stop_at_rating:
            raise Stop(signal.SIGINT)
        if not pending:
            raise EOFError
        return pending.pop(0)

    time = FakeTime()
    store, journal = HistoryStore(tmp_path / "history.jsonl"), Journal(tmp_path / "journal.json")
    practice = Practice(r, store=store, journal=journal)
    runner = PlainRunner(practice, options, out=out, err=io.StringIO(), read=read, clock=time.clock,
                         gate=SignalGate(sleep=time.sleep),
                         on_cautions_read=lambda: calls.append(len(out.getvalue().splitlines())))  # fmt: skip
    runner.run()
    return out.getvalue().splitlines(), calls


def test_new_cautions_are_printed_in_full_and_remembered_once_the_person_goes_on(tmp_path: Path) -> None:
    lines, calls = run(tmp_path, routine(), PlainOptions(interactive=True, show_ref="neck"), answers=["6"])
    assert lines[1:4] == [f"Caution: {CAUTIONS[0]}", f"Caution: {CAUTIONS[1]}", f"Stop if: {STOP_IF[0]}"]
    # Remembered once the rating before was answered (the person went on past them), before
    # the first step.
    step = next(i for i, line in enumerate(lines) if line.startswith("Step 1 of 1"))
    (at,) = calls
    assert any(line.startswith("How stressed") for line in lines[:at]) and at <= step


def test_cautions_read_before_are_one_line_and_the_stop_signs_are_always_said(tmp_path: Path) -> None:
    lines, calls = run(tmp_path, routine(), PlainOptions(cautions_read=True, show_ref="neck"))
    assert lines[1:3] == [
        "This routine has 2 cautions you have read; coach show neck prints them again.",
        f"Stop if: {STOP_IF[0]}",
    ]
    assert not [line for line in lines if line.startswith("Caution:")]
    assert calls == []  # nothing new was read


def test_a_routine_with_only_stop_signs_needs_no_caution_line(tmp_path: Path) -> None:
    lines, _calls = run(tmp_path, routine(cautions=[]), PlainOptions(cautions_read=True, show_ref="neck"))
    assert lines[1] == f"Stop if: {STOP_IF[0]}" and "you have read" not in "\n".join(lines)


def test_stopped_at_the_rating_before_the_cautions_are_not_taken_as_read(tmp_path: Path) -> None:
    options = PlainOptions(interactive=True, show_ref="neck")
    lines, calls = run(tmp_path, routine(), options, stop_at_rating=True)
    assert lines[-1] == "Stopped before the first step: nothing was recorded."
    assert calls == []


def test_the_rule_follows_the_file_the_app_keeps(tmp_path: Path) -> None:
    usual_path = tmp_path / "usual.json"
    options = PlainOptions()
    remember = caution_rule(options, info(), routine(), usual_path)
    assert options.cautions_read is False and options.show_ref == "neck"  # never seen
    remember()
    assert read_usual(usual_path).usual.cautions_seen == {"neck": cautions_hash(CAUTIONS, STOP_IF)}
    again = PlainOptions()
    caution_rule(again, info(), routine(), usual_path)
    assert again.cautions_read is True
    changed = PlainOptions()  # a stop-if line changed: everything is printed again
    caution_rule(changed, info(), routine(stop_if=["Tingling or numbness in the hand."]), usual_path)
    assert changed.cautions_read is False


def test_cautions_acknowledged_in_the_app_count_here(tmp_path: Path) -> None:
    usual_path = tmp_path / "usual.json"
    save_usual(Usual().with_cautions_seen("neck", cautions_hash(CAUTIONS, STOP_IF)), usual_path)
    options = PlainOptions()
    caution_rule(options, info(), routine(), usual_path)
    assert options.cautions_read is True


def test_a_broken_file_prints_them_in_full_and_is_left_as_it_is(tmp_path: Path) -> None:
    usual_path = tmp_path / "usual.json"
    usual_path.write_text("[not ours")
    options = PlainOptions()
    remember = caution_rule(options, info(), routine(), usual_path)
    assert options.cautions_read is False
    remember()  # cannot be written: the cautions are printed in full next time too
    assert usual_path.read_text() == "[not ours"


def test_the_line_names_a_path_as_a_shell_takes_it(tmp_path: Path) -> None:
    path = str(tmp_path / "my neck.json")
    options = PlainOptions()
    caution_rule(options, info(source="file", path=path), routine(), tmp_path / "usual.json")
    assert options.show_ref == path
    said = f"This routine has 1 caution you have read; coach show '{path}' prints them again."
    assert cautions_read_line(1, path) == said
    assert cautions_read_line(3, "sam/upper-back") == (
        "This routine has 3 cautions you have read; coach show sam/upper-back prints them again."
    )
