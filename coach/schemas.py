"""Write the published JSON Schemas from the models: `python -m coach.schemas`.

`coach schema routine|plan` prints the shipped files (routines/routine.schema.json and
routines/plan.schema.json) so that it loads no pydantic; this regenerates them after a
change to coach/routine.py or coach/plan.py. tests/unit/test_schema.py and
tests/unit/test_plan_model.py fail while they are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def write_schemas(folder: Path) -> list[Path]:
    """Write routine.schema.json and plan.schema.json into `folder`; returns their paths."""
    from coach.plan import plan_json_schema
    from coach.routine import routine_json_schema

    written = []
    for name, schema in (("routine", routine_json_schema()), ("plan", plan_json_schema())):
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    from coach.paths import builtin_routines_dir

    for path in write_schemas(builtin_routines_dir()):
        print(path)
    sys.exit(0)
