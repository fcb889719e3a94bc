"""The plain runner in-process, with a fake clock whose time moves only when it sleeps."""

from __future__ import annotations

import io
import json
import signal
from pathlib import Path

import pytest

from coach import safety_note
from coach.history import HistoryStore
from coach.journal import Journal
from coach.plain import (
    HEARTBEAT_SECONDS,
    PlainOptions,
    PlainRunner,
    SignalGate,
    Stop,
    event_line,
    spoken_seconds,
)
from coach.practice import Practice
from coach.routine import Routine
from coach.session import Event
from tests.helpers.plain import FakeTime, plain_runner
from tests.helpers.routines import breathing, make_routine, massage, rest, sample_routine

__all__ = ["FakeTime"]  # tests/unit/test_plain_pain.py takes it from here


def runner_for(
    routine: Routine,
    tmp_path: Path,
    *,
    options: PlainOptions | None = None,
    answers: list[str] | None = None,
    record: bool = True,
    time: FakeTime | None = None,
) -> tuple[PlainRunner, io.StringIO, io.StringIO, FakeTime, HistoryStore]:
    time = time or FakeTime()
    store = HistoryStore(tmp_path / "history.jsonl")
    options = options or PlainOptions()
    practice = Practice(
        routine,
        pre=options.pre,
        store=store if record else None,
        journal=Journal(tmp_path / "journal.json") if record else None,
        speed=options.speed,
    )
    out, err = io.StringIO(), io.StringIO()
    pending = list(answers or [])

    def read(prompt: str) -> str:
        out.write(prompt)
        if not pending:
            raise EOFError
        return pending.pop(0)

    gate = SignalGate(sleep=time.sleep)
    runner = PlainRunner(practice, options, out=out, err=err, read=read, clock=time.clock, gate=gate)
    return runner, out, err, time, store


def records(store: HistoryStore) -> list[dict[str, object]]:
    if not store.path.exists():
        return []
    return [json.loads(line) for line in store.path.read_text().splitlines()]


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(45, "45 seconds"), (1, "1 second"), (5.5, "5.5 seconds"), (60, "1 minute"),
     (90, "1 minute 30 seconds"), (372, "6 minutes 12 seconds"), (0, "0 seconds")],
)  # fmt: skip
def test_spoken_seconds(seconds: float, words: str) -> None:
    assert spoken_seconds(seconds) == words


def test_event_lines_read_well() -> None:
    routine = sample_routine()
    assert event_line(Event("step_started", 32.0, 2, "left", 1, seconds=10.0), routine) == (
        "Step 2 of 3: Knead the shoulder, left side, 10 seconds. Do knead the shoulder. "
        "Pressure: medium. Gentler option: Use flat fingers."
    )
    assert event_line(Event("side_switched", 42.0, 2, "right", 2, seconds=10.0), routine) == (
        "Switch to the right side."
    )
    assert event_line(Event("phase_changed", 0.0, 1, breath="inhale", seconds=4.0), routine) == (
        "Breathe in, 4 seconds"
    )
    assert event_line(Event("step_started", 0.0, 1, seconds=32.0), routine) == (
        "Step 1 of 3: Box breaths, 2 breaths, 32 seconds."
    )
    assert event_line(Event("finished", 57.0, 3), routine) == "Finished: Test routine."
    assert event_line(Event("paused", 5.0, 1), routine) is None


def test_a_one_step_summary_says_step_not_steps(tmp_path: Path) -> None:
    runner, out, _err, _time, _store = runner_for(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(pre=3, post=3)
    )
    assert runner.run() == 0
    assert "Summary: Completed, 1 of 1 step, 5 seconds of 5 seconds practised." in out.getvalue()


# --- a whole run -----------------------------------------------------------------------------


def test_a_run_prints_one_line_per_event_and_records(tmp_path: Path) -> None:
    routine = make_routine(
        breathing("Sigh", "cyclic-sigh", 1), massage("Knead", 5, side="each"), rest("Rest", 5)
    )
    runner, out, err, time, store = runner_for(routine, tmp_path, options=PlainOptions(pre=5, post=2))
    assert runner.run(show_disclaimer=True) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "Test routine: 3 steps, 24 seconds."
    assert lines[1].startswith("Coach guides self-care; it is not medical advice")
    note = len(safety_note.plain_lines())  # the first-run note's lines
    assert lines[1 : 1 + note] == safety_note.plain_lines()
    assert lines[1 + note :] == [
        "Caution: Be gentle.",
        "Step 1 of 3: Sigh, 1 breath, 9 seconds.",
        "Breath 1 of 1: in 2, top up 1, out 6",
        "Step 2 of 3: Knead, left side, 5 seconds. Do knead. Pressure: medium.",
        "Switch to the right side.",
        "Step 3 of 3: Rest, 5 seconds.",
        "Finished: Test routine.",
        "Summary: Completed, 3 of 3 steps, 24 seconds of 24 seconds practised. Stress from 5 to 2, "
        "down 3 points: a large drop. Saved to your history.",
    ]
    # It slept towards each planned event, waking at least every HEARTBEAT_SECONDS (to see
    # time away), never past an event: the events came at their planned times.
    assert sum(time.sleeps) == pytest.approx(24.0)
    assert max(time.sleeps) <= HEARTBEAT_SECONDS and len(time.sleeps) <= 24 / HEARTBEAT_SECONDS + 6
    (record,) = records(store)
    assert record["completed"] is True and (record["pre"], record["post"]) == (5, 2)
    assert record["active_seconds"] == 24.0
    assert err.getvalue() == ""


def test_no_disclaimer_once_seen(tmp_path: Path) -> None:
    runner, out, *_ = runner_for(make_routine(rest("Rest", 5)), tmp_path)
    runner.run(show_disclaimer=False)
    assert "not medical advice" not in out.getvalue()


def test_ratings_are_asked_when_interactive(tmp_path: Path) -> None:
    runner, out, _err, _time, store = runner_for(
        make_routine(rest("Rest", 5)), tmp_path,
        options=PlainOptions(interactive=True), answers=["seven", "11", " 7 ", ""],
    )  # fmt: skip
    assert runner.run() == 0
    text = out.getvalue()
    assert text.count("How stressed or tense do you feel right now?") == 2
    assert text.count("Please type a whole number from 0 to 10") == 2
    (record,) = records(store)
    assert (record["pre"], record["post"]) == (7, None)
    assert "No stress change to show (a rating was skipped)." in text


def test_end_of_input_skips_a_rating(tmp_path: Path) -> None:
    runner, _out, _err, _time, store = runner_for(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(interactive=True), answers=[]
    )
    assert runner.run() == 0
    assert (records(store)[0]["pre"], records(store)[0]["post"]) == (None, None)


def test_not_interactive_asks_nothing(tmp_path: Path) -> None:
    runner, out, _err, _time, store = runner_for(make_routine(rest("Rest", 5)), tmp_path, answers=["3", "2"])
    runner.run()
    assert "How stressed" not in out.getvalue()
    assert records(store)[0]["pre"] is None


def test_a_preview_runs_faster_and_records_nothing(tmp_path: Path) -> None:
    runner, out, _err, time, _store = runner_for(
        sample_routine(), tmp_path, options=PlainOptions(speed=10, interactive=True), record=False
    )
    start = time.now
    assert runner.run() == 0
    assert time.now - start == pytest.approx(5.7)
    text = out.getvalue()
    assert "Preview at 10 times speed: nothing will be recorded." in text
    assert "How stressed" not in text
    assert (
        text.splitlines()[-1]
        == "Summary: 3 of 3 steps, 57 seconds of 57 seconds practised. A preview: nothing was recorded."
    )
    assert list(tmp_path.iterdir()) == []


def test_trace_lines_give_real_and_planned_times(tmp_path: Path) -> None:
    runner, _out, err, *_ = runner_for(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(speed=2, trace=True), record=False
    )
    runner.run()
    assert err.getvalue().splitlines() == [
        "trace 0.000000 0.000000 step_started",
        "trace 2.500000 2.500000 finished",
    ]


# --- signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
)
def test_a_signal_mid_session_records_it_as_not_completed(tmp_path: Path, signum: int, code: int) -> None:
    runner, out, _err, time, store = runner_for(sample_routine(), tmp_path, options=PlainOptions(pre=8))
    time.at = time.now + 20.5
    time.hook = lambda: runner.gate.handle(signum, None)
    assert runner.run() == code
    (record,) = records(store)
    assert record["completed"] is False and record["pre"] == 8 and record["post"] is None
    assert record["active_seconds"] == 20.5
    # Stopped: no rating after was asked, so nothing is said of a stress change.
    assert out.getvalue().splitlines()[-1] == (
        "Summary: Stopped, 0 of 3 steps, 21 seconds of 57 seconds practised. "  # 20.5: halves up
        "Saved to your history as stopped; it does not count towards your streak."
    )
    assert not (tmp_path / "journal.json").exists()


@pytest.mark.parametrize(("signum", "interactive", "blank"), [
    (signal.SIGINT, True, True),  # the terminal echoed "^C": the summary starts a line of its own
    (signal.SIGINT, False, False),  # no terminal, no echo: no empty line
    (signal.SIGTERM, True, False),  # nothing is echoed for a SIGTERM
])  # fmt: skip
def test_ctrl_c_mid_step_on_a_terminal_starts_the_summary_on_a_new_line(
    tmp_path: Path, signum: int, interactive: bool, blank: bool
) -> None:
    options = PlainOptions(pre=8, post=3, interactive=interactive)
    runner, out, _err, time, _store = runner_for(sample_routine(), tmp_path, options=options)
    time.at = time.now + 20.5
    time.hook = lambda: runner.gate.handle(signum, None)
    runner.run()
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("Summary: Stopped")
    assert (lines[-2] == "") is blank


def test_a_signal_between_waits_is_seen_at_the_next_check(tmp_path: Path) -> None:
    runner, _out, _err, _time, store = runner_for(sample_routine(), tmp_path)
    runner.gate.received = signal.SIGTERM  # arrived while a line was being written
    assert runner.run() == 143
    assert records(store)[0]["completed"] is False


def test_a_signal_at_the_pre_rating_records_nothing(tmp_path: Path) -> None:
    runner, out, _err, _time, store = runner_for(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(interactive=True)
    )

    def interrupted(prompt: str) -> str:
        raise Stop(signal.SIGINT)

    runner.read = interrupted
    assert runner.run() == 130
    assert records(store) == [] and not (tmp_path / "journal.json").exists()
    assert out.getvalue().splitlines()[-1] == "Stopped before the first step: nothing was recorded."


def test_a_signal_at_the_post_rating_keeps_the_completed_session(tmp_path: Path) -> None:
    runner, _out, _err, _time, store = runner_for(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(pre=4, interactive=True)
    )

    def interrupted(prompt: str) -> str:
        raise Stop(signal.SIGTERM)

    runner.read = interrupted
    assert runner.run() == 0
    (record,) = records(store)
    assert record["completed"] is True and record["pre"] == 4 and record["post"] is None


def test_a_second_ctrl_c_exits_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    exits: list[int] = []
    monkeypatch.setattr("os._exit", exits.append)
    gate = SignalGate()
    gate.handle(signal.SIGINT, None)  # not waiting: noted, not raised
    assert gate.received == signal.SIGINT and exits == []
    gate.handle(signal.SIGTERM, None)  # a second SIGTERM changes nothing
    assert exits == []
    gate.handle(signal.SIGINT, None)
    assert exits == [130]


def test_the_gate_raises_only_while_waiting() -> None:
    gate = SignalGate(sleep=lambda s: gate.handle(signal.SIGTERM, None))
    with pytest.raises(Stop):
        gate.sleep(1.0)
    assert gate.received == signal.SIGTERM


def test_closed_output_is_dropped_not_raised(tmp_path: Path) -> None:
    runner, out, *_ = runner_for(make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(pre=1))
    out.close()  # as after SIGHUP: the terminal is gone
    assert runner.run() == 0


# --- time away ----------------------------------------------------------------------------


def stopped_for(time: FakeTime, runner: PlainRunner, at: float, seconds: float) -> None:
    """At `at` (fake seconds from now) the process is stopped for `seconds`, then SIGCONT."""

    def stop() -> None:
        time.now += seconds
        runner.gate.handle_continue(signal.SIGCONT, None)

    time.at = time.now + at
    time.hook = stop


def test_time_away_is_said_not_counted_and_the_session_goes_on_after_a_lead_in(tmp_path: Path) -> None:
    routine = make_routine(rest("First", 5), rest("Second", 5))
    runner, out, _err, time, store = runner_for(routine, tmp_path, options=PlainOptions(pre=5, post=4))
    stopped_for(time, runner, 2.2, 12)
    assert runner.run() == 0
    lines = out.getvalue().splitlines()
    step_lines = [line for line in lines if line.startswith(("Step", "Paused", "Going", "Finished"))]
    assert step_lines == [
        "Step 1 of 2: First, 5 seconds.",
        "Paused: Coach was stopped for 12 seconds; that time is not counted.",
        "Going on in 3, 2, 1.",
        "Step 2 of 2: Second, 5 seconds.",
        "Finished: Test routine.",
    ]
    (record,) = records(store)
    assert record["active_seconds"] == 10.0 and record["pauses"] == 1
    assert record["completed"] is True and record["ran_to_end"] is True
    # 2.2 s, 12 s away, the 3 s lead-in, then what was left: the pause began at the
    # wake-up planned for 2.5 s (the heartbeat), so 7.5 s.
    assert time.now - 100.0 == pytest.approx(2.2 + 12 + 3 + 7.5, abs=0.01)


def test_without_the_rule_the_stopped_time_would_have_been_exercise(tmp_path: Path) -> None:
    """The same stop, with the rule off: the test above can tell the difference."""
    routine = make_routine(rest("First", 5), rest("Second", 5))
    runner, out, _err, time, store = runner_for(routine, tmp_path, options=PlainOptions(pre=5, post=4))
    runner.practice.session.away_after = None
    stopped_for(time, runner, 2.2, 12)
    assert runner.run() == 0
    assert "Paused" not in out.getvalue()
    assert records(store)[0]["pauses"] == 0


def test_on_a_terminal_time_away_waits_for_enter(tmp_path: Path) -> None:
    """Keys: the session comes back paused and goes on with Enter (no lead-in here)."""
    routine = make_routine(rest("Rest", 5))
    runner, out, time, store = plain_runner(
        routine, tmp_path, options=PlainOptions(pre=5, post=4, interactive=True), keys=True,
        script=[(40.0, "\n")],
    )  # fmt: skip
    stopped_for(time, runner, 1.2, 30)
    assert runner.run() == 0
    text = out.getvalue()
    paused = "Paused: Coach was stopped for 30 seconds; that time is not counted.\nPress Enter to go on.\n"
    assert paused + "Going on.\n" in text
    (record,) = records(store)
    assert record["active_seconds"] == 5.0 and record["completed"] is True
    # It waited for Enter: 1.5 s (the heartbeat's wake-up), 30 s away, paused until 40 s, 3.5 s left.
    assert time.now - time.start == pytest.approx(40.0 + 3.5, abs=0.01)


def test_ctrl_c_while_paused_after_time_away_stops_the_session(tmp_path: Path) -> None:
    runner, out, time, store = plain_runner(
        make_routine(rest("Rest", 60)), tmp_path, options=PlainOptions(pre=5, interactive=True), keys=True
    )
    stopped_for(time, runner, 10.2, 30)
    waits = 0
    real_wait = runner.commands.wait

    def wait(seconds: float) -> str | None:
        nonlocal waits
        if runner.practice.state == "paused":
            waits += 1
            if waits == 3:  # paused for a while, then Ctrl+C
                runner.gate.handle(signal.SIGINT, None)
        return real_wait(seconds)

    runner.commands.wait = wait  # type: ignore[method-assign]
    assert runner.run() == 130
    (record,) = records(store)
    assert record["ran_to_end"] is False and record["completed"] is False
    assert record["active_seconds"] == 10.5 and record["pauses"] == 1  # 10.2 s + the heartbeat
    lines = out.getvalue().splitlines()
    # Cbreak mode echoes no "^C": the summary follows the last line, no empty line between.
    assert lines[-2] == "Press Enter to go on." and lines[-1].startswith("Summary: Stopped")


def test_after_ctrl_z_and_fg_at_a_prompt_the_prompt_is_shown_again(tmp_path: Path) -> None:
    runner, out, _err, _time, store = runner_for(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(pre=5, interactive=True)
    )
    answers = ["3", ""]

    def stopped_at_the_prompt(prompt: str) -> str:
        out.write(prompt)
        if prompt.startswith("Type 0 to 10"):
            runner.gate.handle_continue(signal.SIGCONT, None)  # Ctrl+Z, then `fg`
        return answers.pop(0)

    runner.read = stopped_at_the_prompt
    assert runner.run() == 0
    # (a terminal echoes the Enter; this fake read does not)
    rating = "Type 0 to 10, or press Enter to skip: "
    assert rating + rating + "Anything to note?" in out.getvalue()
    runner.gate.handle_continue(signal.SIGCONT, None)  # no prompt open: nothing written
    assert out.getvalue().count(rating) == 2
    assert records(store)[0]["post"] == 3


def test_sigcont_cuts_a_sleep_short_and_is_installed() -> None:
    gate = SignalGate(sleep=lambda s: gate.handle_continue(signal.SIGCONT, None))
    assert gate.sleep(30.0) is False and gate.continued == 1
    assert SignalGate(sleep=lambda s: None).sleep(1.0) is True
    gate.handle_continue(signal.SIGCONT, None)  # not sleeping: counted, nothing raised
    assert gate.continued == 2
    before = signal.getsignal(signal.SIGCONT)
    gate.install()
    try:
        assert signal.getsignal(signal.SIGCONT) == gate.handle_continue
    finally:
        gate.restore()
    assert signal.getsignal(signal.SIGCONT) == before


def test_a_runner_and_practice_at_different_speeds_are_refused(tmp_path: Path) -> None:
    practice = Practice(make_routine(rest("Rest", 5)))
    with pytest.raises(ValueError, match="speed"):
        PlainRunner(practice, PlainOptions(speed=10), out=io.StringIO(), err=io.StringIO())


# --- a stop at a prompt or during the count-in ----------------------------------------------


def test_a_stop_during_the_count_in_starts_it_again(tmp_path: Path) -> None:
    routine = make_routine(rest("First", 5), rest("Second", 5))
    runner, out, _err, time, store = runner_for(routine, tmp_path, options=PlainOptions(pre=5, post=4))
    stopped_for(time, runner, 2.2, 12)
    real_sleep = runner.gate._sleep
    stops = [True]

    def sleep(seconds: float) -> None:
        if seconds == 3.0 and stops:  # the first count-in: stopped 1 s into it, then `fg`
            stops.pop()
            time.now += 1.0 + 20.0
            runner.gate.handle_continue(signal.SIGCONT, None)
        real_sleep(seconds)

    runner.gate._sleep = sleep
    assert runner.run() == 0
    lines = out.getvalue().splitlines()
    assert lines.count("Going on in 3, 2, 1.") == 2
    (record,) = records(store)
    assert record["active_seconds"] == 10.0 and record["completed"] is True


def test_a_stopped_session_says_its_up_front_after_rating_is_not_used(tmp_path: Path) -> None:
    options = PlainOptions(pre=8, post=3)
    runner, out, _err, time, store = runner_for(sample_routine(), tmp_path, options=options)
    time.at = time.now + 20.5
    time.hook = lambda: runner.gate.handle(signal.SIGTERM, None)
    assert runner.run() == 143
    (record,) = records(store)
    assert record["post"] is None  # the end it describes never came
    summary = out.getvalue().splitlines()[-1]
    assert "The after-rating given up front (--post 3) is not used for a stopped session." in summary
    assert "a rating was skipped" not in summary
