"""The CPU time a Textual app spends before its first frame shows a given text: a measure
that a loaded machine stretches far less than the wall-clock time (bench_startup.py).

    python bench/first_frame_cpu.py OUT PATTERN coach [ARGS...]   # the `coach` command
    python bench/first_frame_cpu.py OUT PATTERN FILE.py           # a script as __main__

At the first write to the terminal whose text matches the regular expression PATTERN, the
process's CPU time (user + system, every thread, from the start of the interpreter) is
written to OUT in seconds, and the process ends at once. Textual's terminal driver is
patched when it is first imported (an import hook), so nothing is imported earlier than
the app itself would import it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import runpy
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

DRIVER = "textual.drivers.linux_driver"


def _patch(module: ModuleType, out: Path, pattern: re.Pattern[str]) -> None:
    driver = module.LinuxDriver
    write = driver.write

    def write_and_watch(self: object, data: str) -> None:
        write(self, data)
        if pattern.search(data):
            out.write_text(f"{time.process_time():.6f}\n")
            os._exit(0)

    driver.write = write_and_watch


class _DriverHook(importlib.abc.MetaPathFinder):
    def __init__(self, out: Path, pattern: re.Pattern[str]) -> None:
        self.out, self.pattern = out, pattern

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None,
                  ) -> importlib.machinery.ModuleSpec | None:  # fmt: skip
        if name != DRIVER:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module: ModuleType) -> None:
            exec_module(module)
            _patch(module, self.out, self.pattern)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


def main() -> int:
    out, pattern, target, *rest = sys.argv[1:]
    sys.meta_path.insert(0, _DriverHook(Path(out), re.compile(pattern)))
    if target == "coach":
        from coach.cli import main as coach_main

        sys.argv = ["coach", *rest]
        return coach_main()
    sys.argv = [target, *rest]
    sys.path.insert(0, str(Path(target).resolve().parent))
    runpy.run_path(target, run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
