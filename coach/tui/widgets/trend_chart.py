"""The weekly pre-session stress trend as a real chart (textual-plotext: axes, dates):
above, the median pre-rating of each week (0-10) as points joined within runs of weeks
that have ratings, with a gap for every week without one; below, on the same weeks and
dated, one bar a week of how many sessions were rated (the evidence behind each point).

Each bar is one vertical line of half-cell blocks at its week's x (plotext's own `bar`
spreads a bar over fractions of cells, and neighbouring weeks ran together into blobs):
a bar stays one cell wide whatever the width, with a gap between weeks whenever a week
has two cells or more (26 weeks from 60 columns), and no bar for a week without ratings.

plotext costs about 20 ms to import: this module is imported only when the History
screen shows it, never on the app's first paint.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult, RenderResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from coach.history_figures import tick_positions, trend_points, trend_segments, week_label
from coach.stats import WeekTrend

AXIS = 4  # cells of y-axis labels both charts use, so that their weeks line up
LINE_COLOR = "orange"
BAR_COLOR = "cyan"
BAR_MARKER = "hd"  # half-cell blocks: twice the rows' resolution, bars half a cell wide


def axis_labels(values: Sequence[float]) -> list[str]:
    """y tick labels padded to AXIS cells (plotext's axis is as wide as its labels)."""
    return [f"{v:g}".rjust(AXIS) for v in values]


def date_ticks(weeks: Sequence[WeekTrend], width: int) -> tuple[list[int], list[str]]:
    """x positions and labels ("3 Aug"; with the year on the first label and at each new
    year) for a chart `width` cells wide, never touching."""
    positions = tick_positions(len(weeks), max(1, width - AXIS - 3), label_width=9)  # "20 Jul 2026" spills
    labels = []
    previous_year = None
    for p in positions:
        monday = weeks[p].week_start
        labels.append(week_label(monday, year=monday.year != previous_year))
        previous_year = monday.year
    return positions, labels


def trimmed(weeks: Sequence[WeekTrend], least: int = 8) -> list[WeekTrend]:
    """`weeks` without the empty weeks before the first one with a rating, but at least
    the last `least` weeks (empty weeks between ratings always stay: they are the gaps)."""
    first = next((i for i, w in enumerate(weeks) if w.rated), len(weeks))
    return list(weeks[min(first, max(0, len(weeks) - least)) :])


class WeeklyPlot(PlotextPlot):
    """A plot with one x position a week (`weeks`, oldest first), dated below."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.weeks: list[WeekTrend] = []

    def date_axis(self) -> None:
        """The x range of `weeks` and their date labels, as many as fit the width."""
        self.plt.xlim(-0.5, len(self.weeks) - 0.5)
        positions, labels = date_ticks(self.weeks, self.size.width)
        self.plt.xticks(positions, labels)


class MedianChart(WeeklyPlot):
    """The weekly medians (see the module docstring)."""

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        plt.theme("clear")
        if self.weeks:
            for run in trend_segments(self.weeks):
                xs, ys = [x for x, _ in run], [y for _, y in run]
                if len(run) > 1:
                    plt.plot(xs, ys, marker="braille", color=LINE_COLOR)
            points = trend_points(self.weeks)
            plt.scatter([x for x, _, _ in points], [y for _, y, _ in points], marker="●", color=LINE_COLOR)
            # The number of ratings above each point, where every label fits its week.
            per_week = max(1, self.size.width - AXIS - 3) / len(self.weeks)
            if points and per_week >= max(len(f"n={n}") for _, _, n in points) + 1:
                for x, y, n in points:
                    # Two points above (below near the top): a row away from the point itself.
                    at = y + 2.2 if y <= 7.5 else y - 2.2
                    plt.text(f"n={n}", x, at, alignment="center", color=LINE_COLOR)
            self.date_axis()
        plt.ylim(0, 10)
        plt.yticks([0, 5, 10], axis_labels([0, 5, 10]))
        plt.title("median stress before sessions, by week (0-10)")
        return super().render()


class CountChart(WeeklyPlot):
    """How many sessions were rated before each week's median: a bar a week (none: no
    bar), dated like the chart above (see the module docstring)."""

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        plt.theme("clear")
        most = max((w.rated for w in self.weeks), default=0)
        if self.weeks:
            for x, week in enumerate(self.weeks):
                if week.rated:
                    plt.plot([x, x], [0, week.rated], marker=BAR_MARKER, color=BAR_COLOR)
            self.date_axis()
        plt.ylim(0, max(most, 1))
        plt.yticks([0, max(most, 1)], axis_labels([0, max(most, 1)]))
        plt.title("sessions rated each week (n)")
        return super().render()


class TrendChart(Vertical):
    """The two charts and a line that says what they show."""

    DEFAULT_CSS = """
    TrendChart { height: 1fr; }
    TrendChart MedianChart { height: 3fr; min-height: 8; }
    TrendChart CountChart { height: 2fr; min-height: 6; }
    TrendChart #trend-note { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield MedianChart(id="trend-median")
        yield CountChart(id="trend-count")
        yield Static("", id="trend-note", markup=False)

    def show(self, weeks: Sequence[WeekTrend]) -> None:
        """Draw `weeks` (coach.stats.weekly_trend: every week present, oldest first), less
        the empty weeks before the first rating, keeping at least MIN_WEEKS: a new user's
        few weeks fill the chart rather than sit in a corner of half a year."""
        weeks = trimmed(weeks)
        for chart in self.query(MedianChart):
            chart.weeks = weeks
            chart.refresh()
        for count in self.query(CountChart):
            count.weeks = weeks
            count.refresh()
        rated = [w for w in weeks if w.rated]
        if not rated:
            note = "No ratings yet: the trend fills in as you rate your sessions before them."
        else:
            empty = len(weeks) - len(rated)
            note = (
                f"{len(weeks)} weeks from {week_label(weeks[0].week_start, year=True)}; "
                f"{sum(w.rated for w in weeks):,} sessions rated; "
                f"{empty} week{'s' if empty != 1 else ''} without ratings (gaps)"
            )
        self.query_one("#trend-note", Static).update(note)
