"""Helpers shared by tests/unit and tests/functional, imported as `tests.helpers.<module>`.

The repository root is on `sys.path` through `pythonpath` in pyproject.toml, so these import the
same way under `python -m pytest`, a bare `pytest`, and from either folder.
"""
