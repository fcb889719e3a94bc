"""The plain runner driven by timed commands (a pipe's lines, a terminal's keys) on a fake
clock: pause and resume, skip, back, more time, gentler, too much → a choice → the record's
discomfort, quit, the note, one line per breath cycle and per rep, the lead-in."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from coach import safety_note
from coach.plain import PlainOptions
from coach.plain_input import KEYS_HELP, LINES_HELP
from coach.routine import Routine
from tests.helpers.plain import plain_runner, records
from tests.helpers.routines import breathing, make_routine, massage, rest

FIRM = massage("Press the shoulder", 20, side="both", pressure="firm", gentler="Use a softer ball.")


def lines_of(text: str, *starts: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(starts)]


# --- pause, skip, back, more -------------------------------------------------------------------


def test_pause_and_resume_from_a_pipe(tmp_path: Path) -> None:
    runner, out, time, store = plain_runner(make_routine(rest("Rest", 10)), tmp_path,
                                            script=[(2.0, "p"), (6.0, "p")])  # fmt: skip
    assert runner.run() == 0
    text = out.getvalue()
    assert LINES_HELP in text.splitlines()  # said once, before the first step
    assert "Paused. p to go on.\nGoing on.\n" in text
    (record,) = records(store)
    assert record["pauses"] == 1 and record["active_seconds"] == 10.0 and record["completed"] is True
    assert time.now - time.start == pytest.approx(14.0)  # 10 s of rest and the 4 s paused


def test_skip_back_and_more_time(tmp_path: Path) -> None:
    routine = make_routine(massage("Knead", 10, side="each"), rest("Rest", 5))
    script = [(2.0, "s"), (4.0, "+"), (6.0, "b"), (7.0, "b"), (8.0, "skip")]
    runner, out, _time, store = plain_runner(routine, tmp_path, script=script)
    assert runner.run() == 0
    told = lines_of(out.getvalue(), "Step", "Switch", "Skipped", "Back", "30 seconds", "Finished")
    assert told == [
        "Step 1 of 2: Knead, left side, 10 seconds. Do knead. Pressure: medium.",
        "Skipped.",
        "Switch to the right side.",  # s on the left side: on to the right
        "30 seconds more on this step.",
        "Back.",  # 4 s into the right side: back to its start
        "Step 1 of 2: Knead, right side, 40 seconds. Do knead. Pressure: medium.",
        "Back.",  # at its start: back to the left side
        "Step 1 of 2: Knead, left side, 10 seconds. Do knead. Pressure: medium.",
        "Skipped.",
        "Switch to the right side.",
        "Step 2 of 2: Rest, 5 seconds.",
        "Finished: Test routine.",
    ]
    (record,) = records(store)
    assert record["skips"] == 2 and record["steps_done"] == 2


def test_gentler_toggles_and_says_so(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(make_routine(FIRM, rest("Rest", 5)), tmp_path,
                                             script=[(3.0, "g"), (5.0, "g"), (22.0, "g")])  # fmt: skip
    assert runner.run() == 0
    text = out.getvalue()
    assert "Gentler version: Use a softer ball.\nThe usual version again. Do press the shoulder.\n" in text
    assert "This step has no gentler version." in text  # g during the rest
    assert records(store)[0]["gentler"] == 1


def test_unknown_commands_and_where_you_are(tmp_path: Path) -> None:
    runner, out, _time, _store = plain_runner(make_routine(rest("Rest", 30)), tmp_path,
                                              script=[(1.0, "7"), (4.0, "")])  # fmt: skip
    runner.run()
    text = out.getvalue()
    assert f"Not a command: 7. {LINES_HELP}" in text.splitlines()
    assert "Step 1 of 1: Rest, 26 seconds left of this step, 26 seconds left in all." in text.splitlines()


def test_quit_from_a_pipe_ends_at_once_and_asks_the_note(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(
        make_routine(rest("Rest", 30)), tmp_path, options=PlainOptions(post=3),
        script=[(5.0, "q"), (6.0, "  had to   go ")],
    )  # fmt: skip
    assert runner.run() == 0
    (record,) = records(store)
    assert record["completed"] is False and record["active_seconds"] == 5.0
    assert record["post"] is None and record["note"] == "had to go"
    assert "(--post 3) is not used for a stopped session" in out.getvalue().splitlines()[-1]


def test_the_input_ending_while_paused_ends_the_session(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(make_routine(rest("Rest", 30)), tmp_path, script=[(5.0, "p")])
    assert runner.run() == 0
    assert "The input ended while paused: the session ends here." in out.getvalue()
    (record,) = records(store)
    assert record["completed"] is False and record["active_seconds"] == 5.0


# --- too much ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "choice", "shown"),
    [
        ("1", "gentler", "Gentler version: Use a softer ball."),
        ("2", "lighter", "Lighter pressure: medium from now on in this step."),
        ("3", "skip", "Skipping this step."),
        ("4", "end", "Ending the session."),
    ],
)
def test_too_much_offers_numbered_choices_and_the_choice_is_recorded(
    tmp_path: Path, answer: str, choice: str, shown: str
) -> None:
    routine = make_routine(FIRM, rest("Rest", 5))
    script = [(4.0, "t"), (9.0, "r"), (12.0, answer)]
    runner, out, _time, store = plain_runner(routine, tmp_path, script=script)
    assert runner.run() == 0
    text = out.getvalue()
    menu = (
        "Too much: paused. What would help?\n"
        "1. The gentler version: Use a softer ball.\n"
        "2. Lighter pressure: medium instead of firm.\n"
        "3. Skip this step.\n"
        "4. End the session.\n"
        "Send 1 to 4 to choose, r for when to stop, or p to go on as before.\n"
    )
    assert menu in text
    # r: the red flags, then the choices' line again.
    flags = text[text.index(menu) + len(menu):]
    assert flags.startswith(safety_note.STOP_STEP_HEADING + "\n")
    assert safety_note.GET_HELP[0] in flags
    assert shown in text.splitlines()
    (record,) = records(store)
    assert record["discomfort"] == [
        {"step": 1, "title": "Press the shoulder", "at": 4.0, "choice": choice}
    ]
    assert record["pauses"] == 0  # "too much" is not a pause of the person's
    if choice == "skip":
        assert record["steps_done"] == 1 and record["active_seconds"] == 9.0
        assert "Step 2 of 2: Rest, 5 seconds." in text
    elif choice == "end":
        assert record["completed"] is False and record["active_seconds"] == 4.0
    else:  # the step goes on from where it was: the 8 s spent choosing were not practised
        assert record["active_seconds"] == 25.0 and record["completed"] is True


def test_the_routines_own_stop_signs_come_first(tmp_path: Path) -> None:
    routine = Routine.model_validate({
        "format": 1, "id": "flags", "title": "Flags", "stop_if": ["Tingling runs down the arm."],
        "steps": [FIRM],
    })  # fmt: skip
    runner, out, _time, _store = plain_runner(routine, tmp_path, script=[(2.0, "t"), (3.0, "r"), (4.0, "p")])
    runner.run()
    text = out.getvalue()
    own = "This routine says: stop if\n- Tingling runs down the arm.\n"
    assert own + safety_note.STOP_STEP_HEADING in text


def test_too_much_then_go_on_as_before_keeps_the_press_without_a_choice(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(make_routine(FIRM), tmp_path, keys=True,
                                             script=[(4.0, "t"), (6.0, " ")])  # fmt: skip
    assert runner.run() == 0
    text = out.getvalue()
    assert "Press 1 to 4 to choose, r for when to stop, or Space to go on as before." in text
    assert "Going on as before." in text
    (record,) = records(store)
    assert record["discomfort"] == [{"step": 1, "title": "Press the shoulder", "at": 4.0, "choice": None}]
    assert record["completed"] is True


def test_a_step_without_gentler_or_pressure_offers_skip_and_end(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(make_routine(rest("Rest", 10), rest("More", 5)), tmp_path,
                                             script=[(2.0, "t"), (3.0, "9"), (4.0, "1")])  # fmt: skip
    runner.run()
    text = out.getvalue()
    assert "1. Skip this step.\n2. End the session.\nSend 1 or 2 to choose" in text
    assert text.count("Send 1 or 2 to choose") == 2  # 9 is not a choice: asked again
    assert records(store)[0]["discomfort"][0]["choice"] == "skip"


# --- keys on a terminal ------------------------------------------------------------------------


def test_keys_quit_asks_first(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(
        make_routine(rest("Rest", 30)), tmp_path, keys=True,
        script=[(2.0, "q"), (3.0, "x"), (5.0, "\x1b"), (6.0, "q")],
    )  # fmt: skip
    assert runner.run() == 0
    text = out.getvalue()
    assert KEYS_HELP in text.splitlines()
    assert text.count("End the session now? It is saved as stopped.") == 2
    assert "Going on." in text.splitlines()  # x: not ended
    (record,) = records(store)
    assert record["active_seconds"] == 6.0 and record["completed"] is False
    assert runner.commands.in_keys_mode == [True, False]  # type: ignore[attr-defined]


def test_keys_space_pauses_and_enter_says_where(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(
        make_routine(rest("Rest", 30)), tmp_path, keys=True,
        script=[(2.0, "\n"), (3.0, " "), (5.0, " "), (6.0, "m")],
    )  # fmt: skip
    runner.run()
    text = out.getvalue().splitlines()
    assert "Step 1 of 1: Rest, 28 seconds left of this step, 28 seconds left in all." in text
    assert "Paused. Space or Enter to go on." in text
    assert "This session has no sound." in text
    assert records(store)[0]["pauses"] == 1


class FakePlayer:
    muted = False
    prepared = 0

    def prepare(self) -> None:
        self.prepared += 1

    def play(self, cue: str) -> None:
        pass

    def drain(self, timeout: float | None = None) -> None:
        pass

    def take_notice(self) -> None:
        return None


def test_m_mutes_and_unmutes(tmp_path: Path) -> None:
    player = FakePlayer()
    runner, out, _time, _store = plain_runner(make_routine(rest("Rest", 10)), tmp_path, keys=True,
                                              script=[(1.0, "m"), (2.0, "m")], player=player)  # fmt: skip
    runner.run()
    assert "Sound off.\nSound on.\n" in out.getvalue()
    assert player.muted is False and player.prepared == 1


# --- what is said: breaths, reps, lead-in, note, summary --------------------------------------------


def test_one_line_per_breath_cycle_with_its_count(tmp_path: Path) -> None:
    routine = make_routine(breathing("Four seven eight", "4-7-8", 3))
    runner, out, _time, _store = plain_runner(routine, tmp_path)
    runner.run()
    assert lines_of(out.getvalue(), "Breath", "Breathe", "Hold") == [
        "Breath 1 of 3: in 4, hold 7, out 8",
        "Breath 2 of 3: in 4, hold 7, out 8",
        "Breath 3 of 3: in 4, hold 7, out 8",
    ]


def test_every_phase_when_asked_for(tmp_path: Path) -> None:
    routine = make_routine(breathing("Sigh", "cyclic-sigh", 2))
    runner, out, _time, _store = plain_runner(routine, tmp_path, options=PlainOptions(phases=True))
    runner.run()
    assert lines_of(out.getvalue(), "Breath", "Breathe", "Top") == [
        "Breath 1 of 2. Breathe in, 2 seconds", "Top up, 1 second", "Breathe out, 6 seconds",
        "Breath 2 of 2. Breathe in, 2 seconds", "Top up, 1 second", "Breathe out, 6 seconds",
    ]  # fmt: skip


def test_a_gentler_breathing_pattern_shows_in_the_next_cycle_lines(tmp_path: Path) -> None:
    step = {**breathing("Box", "box", 3), "gentler": {"pattern": "extended-exhale", "text": "No holds."}}
    runner, out, _time, _store = plain_runner(make_routine(step), tmp_path, script=[(17.0, "g")])
    runner.run()
    told = lines_of(out.getvalue(), "Breath", "Gentler")
    box = "in 4, hold 4, out 4, hold 4"
    assert told[:3] == [f"Breath 1 of 3: {box}", f"Breath 2 of 3: {box}", "Gentler version: No holds."]
    assert told[3].startswith("Breath 3 of ") and told[3].endswith(": in 4, out 6")


def test_one_line_per_rep(tmp_path: Path) -> None:
    step = {"type": "massage", "title": "Hold the spot", "instruction": "Press and hold.",
            "area": "shoulders", "side": "both", "pressure": "firm",
            "reps": {"count": 3, "hold": 8, "release": 4}}  # fmt: skip
    runner, out, _time, _store = plain_runner(make_routine(step), tmp_path)
    runner.run()
    text = out.getvalue()
    assert "Step 1 of 1: Hold the spot, both sides, 3 reps, 36 seconds." in text
    assert lines_of(text, "Rep", "Release") == [
        "Rep 1 of 3: hold 8, release 4", "Rep 2 of 3: hold 8, release 4", "Rep 3 of 3: hold 8, release 4",
    ]  # fmt: skip


def test_the_lead_in_before_the_first_step_and_after_a_resume(tmp_path: Path) -> None:
    runner, out, time, store = plain_runner(make_routine(rest("Rest", 10)), tmp_path, lead_in=3.0,
                                            script=[(5.0, "p"), (7.0, "p")])  # fmt: skip
    runner.run()
    told = lines_of(out.getvalue(), "Starting", "Going", "Step", "Paused", "Finished")
    assert told == ["Starting in 3, 2, 1.", "Step 1 of 1: Rest, 10 seconds.", "Paused. p to go on.",
                    "Going on in 3, 2, 1.", "Finished: Test routine."]  # fmt: skip
    (record,) = records(store)
    assert record["active_seconds"] == 10.0  # the lead-ins are not practice
    assert time.now - time.start == pytest.approx(3 + 10 + 2 + 3)


def test_the_note_and_the_wording_of_the_change(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(
        make_routine(rest("Rest", 5)), tmp_path, options=PlainOptions(pre=7, post=3),
        script=[(1.0, ""), (9.0, "Shoulders \x1b[31mlighter")],
    )  # fmt: skip
    assert runner.run() == 0
    text = out.getvalue()
    assert "Anything to note? (Enter to skip) \nSummary" in text  # a pipe echoes nothing: a new line
    assert "Stress from 7 to 3, down 4 points: a large drop." in text and "→" not in text
    assert records(store)[0]["note"] == "Shoulders ␛[31mlighter"  # shown, never obeyed


def test_the_end_of_input_is_no_note(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(make_routine(rest("Rest", 5)), tmp_path, script=[(1.0, "")],
                                             still_open=True)  # fmt: skip
    runner.run()
    assert "Anything to note? (Enter to skip) \nSummary" in out.getvalue()
    assert records(store)[0]["note"] == ""


def test_no_note_is_asked_when_there_was_never_any_input(tmp_path: Path) -> None:
    runner, out, _time, _store = plain_runner(make_routine(rest("Rest", 5)), tmp_path)
    runner.run()
    assert "Anything to note?" not in out.getvalue() and LINES_HELP not in out.getvalue()


def test_a_breath_after_a_skip_while_paused_waits_for_the_count_in(tmp_path: Path) -> None:
    routine = make_routine(rest("Rest", 10), breathing("Slow", "coherent", 2))
    runner, out, _time, _store = plain_runner(routine, tmp_path, lead_in=3.0,
                                              script=[(5.0, "p"), (6.0, "s"), (8.0, "p")])  # fmt: skip
    runner.run()
    told = lines_of(out.getvalue(), "Step", "Breath", "Going", "Skipped")
    assert told == ["Step 1 of 2: Rest, 10 seconds.", "Skipped.", "Step 2 of 2: Slow, 2 breaths, 20 seconds.",
                    "Going on in 3, 2, 1.",  # the breaths of the skipped-to step wait for it
                    "Breath 1 of 2: in 5, out 5", "Breath 2 of 2: in 5, out 5"]  # fmt: skip


def test_the_summary_gives_the_pain_change_of_a_plan_that_asks(tmp_path: Path) -> None:
    runner, out, _time, store = plain_runner(make_routine(rest("Rest", 5)), tmp_path,
                                             options=PlainOptions(pre=6, post=4, pain_post=2))  # fmt: skip
    runner.practice.pain_area, runner.practice.pain_pre = "neck", 5
    assert runner.run() == 0
    assert "Stress from 6 to 4, down 2 points: a noticeable drop. Pain from 5 to 2." in out.getvalue()
    assert (records(store)[0]["pain_pre"], records(store)[0]["pain_post"]) == (5, 2)


def test_after_ctrl_z_and_fg_while_paused_the_choices_are_offered_again(tmp_path: Path) -> None:
    runner, out, time, _store = plain_runner(make_routine(FIRM), tmp_path, keys=True,
                                             script=[(2.0, "t"), (9.0, "3")])  # fmt: skip
    real_wait = runner.commands.wait

    def wait(seconds: float) -> str | None:
        choosing = runner.practice.session.too_much_pending and time.now - time.start >= 4
        if choosing and not runner.gate.continued:
            runner.gate.handle_continue(signal.SIGCONT, None)  # Ctrl+Z, then `fg`, during the choice
        return real_wait(seconds)

    runner.commands.wait = wait  # type: ignore[method-assign]
    runner.run()
    assert out.getvalue().count("Too much: paused. What would help?") == 2


REPS = {"type": "massage", "title": "Hold the spot", "instruction": "Press and hold.", "area": "shoulders",
        "side": "both", "pressure": "firm", "gentler": "Use a softer ball.",
        "reps": {"count": 3, "hold": 8, "release": 4}}  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "told"),
    [
        ("1", ["Gentler version: Use a softer ball.", "Going on in 3, 2, 1.",
               "Rep 2 of 3: hold 8, release 4"]),
        ("2", ["Lighter pressure: medium from now on in this step.", "Going on in 3, 2, 1.",
               "Rep 2 of 3: hold 8, release 4"]),
        ("3", ["Skipping this step.", "Step 2 of 2: Slow, 2 breaths, 20 seconds.", "Going on in 3, 2, 1.",
               "Breath 1 of 2: in 5, out 5"]),
    ],
)  # fmt: skip
def test_after_a_too_much_choice_what_changed_then_the_count_in_then_the_cues(
    tmp_path: Path, answer: str, told: list[str]
) -> None:
    """The order a person hears after a choice (issue 14 follow-up): what the choice changed
    (and the step it leads to), then the count-in, then the timed breath or rep lines, as
    after a skip while paused. "Lighter pressure" used to come after the count-in."""
    routine = make_routine(REPS, breathing("Slow", "coherent", 2))
    script = [(5.0, "t"), (6.0, answer)]
    runner, out, _time, _store = plain_runner(routine, tmp_path, lead_in=3.0, script=script)
    runner.run()
    text = out.getvalue().splitlines()
    start = text.index(told[0])
    assert text[start : start + len(told)] == told


def test_after_a_choice_while_paused_the_count_in_waits_for_the_person(tmp_path: Path) -> None:
    routine = make_routine(REPS)
    script = [(5.0, "p"), (6.0, "t"), (7.0, "2"), (9.0, "p")]
    runner, out, _time, _store = plain_runner(routine, tmp_path, lead_in=3.0, script=script)
    runner.run()
    told = lines_of(out.getvalue(), "Lighter", "Still", "Going", "Rep 2")
    assert told == ["Lighter pressure: medium from now on in this step.", "Still paused. p to go on.",
                    "Going on in 3, 2, 1.", "Rep 2 of 3: hold 8, release 4"]  # fmt: skip


# --- what a tester found (issue 14, second look) -------------------------------------------------

GENTLE_BOX = {**breathing("Box", "box", 2), "gentler": {"pattern": "extended-exhale", "text": "No holds."}}


def test_gentler_on_and_off_keeps_every_breath_whole(tmp_path: Path) -> None:
    """Switching to gentler and back left "Breathe in, 0.685841 seconds" as the last breath,
    and a promised "in 4, hold 4, out 4, hold 4" cut short 1.3 s into the exhale."""
    script = [(5.0, "g"), (14.0, "g")]
    runner, out, _time, store = plain_runner(make_routine(GENTLE_BOX), tmp_path, script=script,
                                             options=PlainOptions(phases=True))  # fmt: skip
    runner.run()
    phases = lines_of(out.getvalue(), "Breath", "Breathe", "Hold")
    assert phases[-4:] == ["Breath 3 of 3. Breathe in, 4 seconds", "Hold, 4 seconds",
                           "Breathe out, 4 seconds", "Hold, empty, 4 seconds"]  # fmt: skip
    said = [line.split(", ")[-1] for line in phases]
    assert set(said) == {"4 seconds", "6 seconds"}  # no breath cut short
    (record,) = records(store)
    assert record["active_seconds"] == record["planned_seconds"] == 30  # 14 s, then one whole box cycle


def test_the_step_line_after_more_time_gives_the_count_the_engine_has(tmp_path: Path) -> None:
    step = {**REPS, "reps": {"count": 3, "hold": 3, "release": 2}}  # 15 s; + adds six reps
    runner, out, _time, _store = plain_runner(make_routine(step), tmp_path, script=[(4.0, "+"), (5.0, "b")])
    runner.run()
    told = lines_of(out.getvalue(), "Step", "Rep 1 ")
    tail = "Press and hold. Pressure: firm. Gentler option: Use a softer ball."
    assert told == [f"Step 1 of 1: Hold the spot, both sides, 3 reps, 15 seconds. {tail}",
                    "Rep 1 of 3: hold 3, release 2",
                    f"Step 1 of 1: Hold the spot, both sides, 9 reps, 45 seconds. {tail}",
                    "Rep 1 of 9: hold 3, release 2"]  # fmt: skip


def test_skipping_from_too_much_during_the_first_lead_in_names_no_skipped_step(tmp_path: Path) -> None:
    routine = make_routine(FIRM, rest("Rest", 5))
    runner, out, _time, store = plain_runner(routine, tmp_path, lead_in=3.0, script=[(1.0, "t"), (2.0, "3")])
    runner.run()
    told = lines_of(out.getvalue(), "Skip", "Step", "Going", "Starting")
    assert told == ["Starting in 3, 2, 1.", "Skipping this step.", "Step 2 of 2: Rest, 5 seconds.",
                    "Going on in 3, 2, 1."]  # fmt: skip
    assert records(store)[0]["skips"] == 1


def test_quit_during_a_resume_lead_in_tells_no_breath_that_will_not_come(tmp_path: Path) -> None:
    script = [(5.0, "t"), (6.0, "1"), (7.0, "q")]  # too much → gentler, then q in the count-in
    runner, out, _time, store = plain_runner(make_routine(GENTLE_BOX), tmp_path, lead_in=3.0, script=script)
    runner.run()
    text = out.getvalue().splitlines()
    after = text[text.index("Gentler version: No holds.") :]
    assert "Going on in 3, 2, 1." in after and not [line for line in after if line.startswith("Breath")]
    assert records(store)[0]["completed"] is False


def test_a_wrong_choice_after_too_much_says_so_and_asks_again(tmp_path: Path) -> None:
    runner, out, _time, _store = plain_runner(make_routine(FIRM), tmp_path, script=[(5.0, "t"), (6.0, "9"),
                                                                                (7.0, "p")])  # fmt: skip
    runner.run()
    assert ("Not a choice: 9. Send 1 to 4 to choose, r for when to stop, or p to go on as before."
            in out.getvalue().splitlines())  # fmt: skip


def test_part_lengths_are_said_as_written_never_as_float_noise() -> None:
    from coach.plain_words import Teller, event_line
    from coach.session import Event

    routine = make_routine(GENTLE_BOX)
    for seconds, said in ((3.9999999999, "4 seconds"), (5.5, "5.5 seconds"), (0.685841, "0.69 seconds")):
        event = Event("phase_changed", 0.0, 1, breath="inhale", cycle=1, cycles=2, seconds=seconds)
        assert event_line(event, routine) == f"Breathe in, {said}"
        assert Teller(routine, phases=True).lines(event) == [f"Breath 1 of 2. Breathe in, {said}"]
