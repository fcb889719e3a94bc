"""A plan's report for the therapist: Markdown, one self-contained HTML page, CSV or JSON.

`build_report` (model.py) gathers the figures, pure: plan, records and an injected `today`.
One module per format lays them out (markdown, html, csv, json), with the sentences they
share in wording.py. Text from files (names, notes) is escaped for each format, never
interpreted: a note cannot become a link, a tag or a spreadsheet formula.
"""

from __future__ import annotations

from coach.report.csv import to_csv
from coach.report.html import chart_svg, to_html
from coach.report.json import to_json
from coach.report.markdown import to_markdown
from coach.report.model import PlanReport, SessionRow, build_report

__all__ = ["PlanReport", "SessionRow", "build_report", "chart_svg", "render", "to_csv", "to_html", "to_json",
           "to_markdown"]  # fmt: skip


def render(report: PlanReport, fmt: str) -> str:
    """The report in `fmt`: "md", "html", "csv" or "json"; ValueError for any other."""
    if fmt == "md":
        return to_markdown(report)
    if fmt == "html":
        return to_html(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "json":
        return to_json(report)
    raise ValueError(f"unknown report format {fmt!r}")
