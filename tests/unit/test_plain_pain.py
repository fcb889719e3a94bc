"""The plain runner asks the pain rating a plan asks for, before and after (after a stopped
session too, on a terminal or from a pipe), and records it."""

from __future__ import annotations

import io
import json
from pathlib import Path

from coach.history import HistoryStore
from coach.journal import Journal
from coach.plain import PlainOptions, PlainRunner, SignalGate
from coach.practice import Practice
from tests.helpers.plain import plain_runner, records
from tests.helpers.routines import make_routine, massage, rest
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


# --- after a session that was stopped (q, too much → end) -----------------------------------------

FIRM = massage("Press the shoulder", 30, pressure="firm")


def stopped(tmp_path: Path, script: list[tuple[float, str]], *, keys: bool, still_open: bool = False,
            pain_post: int | None = None) -> tuple[str, dict[str, object]]:  # fmt: skip
    """A plan session that asks about neck pain (pain before: 7), stopped by `script`."""
    options = PlainOptions(interactive=keys, pre=5, post=4 if keys else None, plan="sam-neck",
                           pain_post=pain_post)  # fmt: skip
    runner, out, _time, store = plain_runner(make_routine(FIRM, rest("Rest", 5)), tmp_path, options=options,
                                             script=script, keys=keys, still_open=still_open)  # fmt: skip
    runner.practice.pain_area, runner.practice.pain_pre = "neck", 7
    assert runner.run() == 0
    (record,) = records(store)
    return out.getvalue(), record


def test_pain_is_asked_after_q_on_a_terminal(tmp_path: Path) -> None:
    """A session stopped because it hurt is the one the therapist most needs to see (issue 13)."""
    text, record = stopped(tmp_path, [(4.0, "q"), (5.0, "q"), (6.0, "9"), (7.0, "it hurt")], keys=True)
    assert record["completed"] is False and record["ran_to_end"] is False
    assert (record["pain_pre"], record["pain_post"], record["note"]) == (7, 9, "it hurt")
    assert record["post"] is None  # the stress rating after is still not asked (nor --post kept)
    assert text.count(QUESTION) == 1 and "How stressed" not in text
    assert text.index("Summary") > text.index(QUESTION) > text.index("End the session now?")
    assert "Pain from 7 to 9." in text.splitlines()[-1]


def test_pain_is_asked_after_too_much_then_end_from_a_pipe(tmp_path: Path) -> None:
    text, record = stopped(tmp_path, [(4.0, "t"), (5.0, "3"), (6.0, "8"), (7.0, "sharp")], keys=False)
    assert record["discomfort"] == [{"step": 1, "title": "Press the shoulder", "at": 4.0, "choice": "end"}]
    assert (record["pain_post"], record["note"]) == (8, "sharp")
    assert text.index("Ending the session.") < text.index(QUESTION) < text.index("Anything to note?")


def test_the_end_of_a_pipe_skips_the_pain_question(tmp_path: Path) -> None:
    text, record = stopped(tmp_path, [(4.0, "q")], keys=False, still_open=True)
    assert QUESTION in text  # asked: the pipe was still open
    assert record["pain_post"] is None and record["note"] == ""
    assert "Anything to note?" not in text  # the input had ended: nothing more is asked


def test_a_wrong_answer_from_a_pipe_is_asked_again(tmp_path: Path) -> None:
    text, record = stopped(tmp_path, [(4.0, "q"), (5.0, "eleven"), (6.0, "6")], keys=False)
    assert "Please type a whole number from 0 to 10, or press Enter to skip." in text
    assert record["pain_post"] == 6


def test_pain_given_up_front_is_kept_after_a_stop_and_not_asked(tmp_path: Path) -> None:
    """As the app: --pain-post answers the pain question, stopped or not."""
    text, record = stopped(tmp_path, [(4.0, "q"), (5.0, "q")], keys=True, pain_post=3)
    assert QUESTION not in text and record["pain_post"] == 3


def test_a_completed_session_from_a_pipe_asks_pain_before_the_note(tmp_path: Path) -> None:
    text, record = stopped(tmp_path, [(1.0, ""), (40.0, "2"), (41.0, "fine")], keys=False)
    assert record["completed"] is True and (record["pain_post"], record["note"]) == (2, "fine")
    assert text.index("Finished") < text.index(QUESTION) < text.index("Anything to note?")
