"""The static table of commands in coach/cli.py (what `coach --help` lists without importing
the command modules) agrees with what the modules register, and a parser built for one
command parses and helps exactly as the full one does."""

from __future__ import annotations

import argparse

import pytest

from coach.cli import COMMAND_MODULES, COMMANDS, build_parser, command_module


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def test_the_table_is_what_the_modules_register_in_order() -> None:
    sub = _subcommands(build_parser())  # every module registers its own commands
    registered = [(action.dest, action.help) for action in sub._choices_actions]
    assert registered == [(name, help_text) for name, _, help_text in COMMANDS]
    for name, module, _ in COMMANDS:  # each name is registered by the module the table says
        alone = _subcommands(build_parser(module))
        assert not alone.choices[name].get_default("stand_in"), (name, module)
    assert COMMAND_MODULES == ("run", "routines", "history", "plans", "remind", "status")


@pytest.mark.parametrize("only", ["", *COMMAND_MODULES])
def test_top_level_help_is_the_same_whichever_module_is_built(only: str) -> None:
    assert build_parser(only).format_help() == build_parser().format_help()


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["status"], "status"),
        (["due", "--date", "2026-12-02"], "plans"),
        (["plan", "import", "x.json"], "plans"),
        (["stats"], "history"),
        (["show", "status"], "routines"),  # the first word names the command, not a later one
        (["-x", "list"], "routines"),
        (["--", "list"], "routines"),
        (["--help"], None),
        (["bogus", "list"], None),
        ([], None),
    ],
)
def test_the_command_is_the_first_word_that_is_no_option(argv: list[str], module: str | None) -> None:
    assert command_module(argv) == module


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "--date", "2026-12-02"],
        ["status", "--json"],
        ["history", "--csv"],
        ["plan", "list"],
        ["show", "neck-and-shoulders"],
        ["run", "box-breathing"],
    ],
)
def test_a_parser_of_one_module_parses_as_the_full_one(argv: list[str]) -> None:
    module = command_module(argv)
    assert module is not None
    full = vars(build_parser().parse_args(argv))
    assert vars(build_parser(module).parse_args(argv)) == full
    assert vars(build_parser(module, stand_ins=False).parse_args(argv)) == full


def test_help_of_one_command_and_usage_errors_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["due", "--help"], ["status", "--bogus"], ["bogus"], ["list", "--nope"],
                 ["plan", "nope"], ["history", "--since"]):  # fmt: skip
        outputs = []
        module = command_module(argv)
        parsers = [build_parser(module or ""), build_parser()]
        if module is not None:  # a command line that starts with its command
            parsers.append(build_parser(module, stand_ins=False))
        for parser in parsers:
            with pytest.raises(SystemExit) as exit_info:
                parser.parse_args(argv)
            outputs.append((exit_info.value.code, capsys.readouterr()))
        assert all(output == outputs[-1] for output in outputs), argv
