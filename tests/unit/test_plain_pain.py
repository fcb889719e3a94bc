"""The plain runner asks the pain rating a plan asks for, before and after, and records it."""

from __future__ import annotations

import io
import json
from pathlib import Path

from coach.history import HistoryStore
from coach.journal import Journal
from coach.plain import PlainOptions, PlainRunner, SignalGate
from coach.practice import Practice
from tests.helpers.routines import make_routine, rest
from tests.unit.test_plain import FakeTime


def run(tmp_path: Path, answers: list[str], *, pain_area: str | None, pain_pre: int | None = None,
        pain_post: int | None = None) -> tuple[str, dict[str, object]]:  # fmt: skip
    """A 5 s rest run on a terminal that answers `answers`; its output and its record."""
    time = FakeTime()
    store = HistoryStore(tmp_path / "history.jsonl")
    journal = Journal(tmp_path / "journal.json")
    practice = Practice(make_routine(rest("Rest", 5)), store=store, journal=journal, plan="sam-neck",
                        routine_id="sam-neck/rest-a-while", pain_area=pain_area,
                        pain_pre=pain_pre)  # fmt: skip
    out = io.StringIO()
    pending = list(answers)

    def read(prompt: str) -> str:
        out.write(prompt)
        if not pending:
            raise EOFError
        return pending.pop(0)

    options = PlainOptions(interactive=True, plan="sam-neck", pain_post=pain_post)
    runner = PlainRunner(practice, options, out=out, err=io.StringIO(), read=read, clock=time.clock,
                         gate=SignalGate(sleep=time.sleep))  # fmt: skip
    assert runner.run() == 0
    (line,) = store.path.read_text().splitlines()
    return out.getvalue(), json.loads(line)


QUESTION = "Pain in your neck right now, 0 = no pain, 10 = worst pain imaginable"


def test_a_plan_that_asks_for_pain_gets_it_before_and_after(tmp_path: Path) -> None:
    text, record = run(tmp_path, ["6", "7", "3", "4"], pain_area="neck")
    assert text.count(QUESTION) == 2
    # Stress first, then pain, before; the same after.
    assert text.index("How stressed") < text.index(QUESTION) < text.index("Finished")
    assert text.rindex("How stressed") < text.rindex(QUESTION)
    assert (record["pre"], record["pain_pre"], record["post"], record["pain_post"]) == (6, 7, 3, 4)
    assert (record["pain_area"], record["routine"], record["plan"]) == (
        "neck", "sam-neck/rest-a-while", "sam-neck")  # fmt: skip


def test_pain_given_up_front_is_not_asked_and_skipping_is_null(tmp_path: Path) -> None:
    text, record = run(tmp_path, ["6", "", "3"], pain_area="neck", pain_pre=5, pain_post=2)
    assert QUESTION not in text
    assert (record["pain_pre"], record["pain_post"]) == (5, 2)
    text, record = run(tmp_path / "again", ["6", "", "3", ""], pain_area="upper-back")
    assert text.count("Pain in your upper back right now") == 2
    assert (record["pain_area"], record["pain_pre"], record["pain_post"]) == ("upper-back", None, None)


def test_no_pain_question_without_a_plan_that_asks(tmp_path: Path) -> None:
    text, record = run(tmp_path, ["6", "3"], pain_area=None, pain_pre=4)
    assert "Pain in your" not in text
    assert (record["pain_area"], record["pain_pre"], record["pain_post"]) == (None, None, None)
