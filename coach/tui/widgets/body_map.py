"""The body map: the step's area marked on a small figure, front or back.

Size: exactly 16 columns by 12 rows (`coach.bodymap.WIDTH` × `HEIGHT`); give it that much
room or leave it out (a screen hides it with `display = False` when the terminal is too
small: it does not shrink). The figure comes from `coach.bodymap.render`: the marked part
is drawn with `#` and also styled (bold, the theme's accent), so it reads with or without
colour. `R` and `L` in the top corners are the person's own right and left (keep a column
of margin between the widget and a neighbour so they stay apart from it). The tooltip
holds the text alternative ("Body map, back view (from behind, ...): the neck is marked").

Use: `BodyMap("neck", "both")`, then `show(area, side)` on each step; `show(None)` for a
step without an area (breathing, rest) draws nothing. For an "each" step, pass the side of
the pass that is running ("left", then "right") so the map follows the switch.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from coach import bodymap

MARKED_STYLE = "bold $accent"
FIGURE_STYLE = "$text-muted"
LABEL_STYLE = "bold $text"


class BodyMap(Widget):
    """A 16 × 12 text figure with one area marked (see the module docstring)."""

    DEFAULT_CSS = """
    BodyMap {
        width: 16;
        height: 12;
    }
    """

    def __init__(
        self,
        area: str | None = None,
        side: str | None = None,
        *,
        view: bodymap.View | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.figure: bodymap.BodyMap | None = None
        self.show(area, side, view=view)

    def show(self, area: str | None, side: str | None = None, *, view: bodymap.View | None = None) -> None:
        """Draw `area` with `side` marked (see `coach.bodymap.render`); None, or an area the
        figure does not know, draws nothing. Repaints only when the figure changes."""
        try:
            figure = bodymap.render(area, side, view=view) if area else None
        except ValueError:
            figure = None  # a routine validated elsewhere: nothing to mark is better than a crash
        if figure == self.figure:
            return
        self.figure = figure
        self.tooltip = figure.description if figure else None
        self.refresh()

    def render(self) -> Content:
        figure = self.figure
        if figure is None:
            return Content("")
        rows: list[Content] = []
        for row, line in enumerate(figure.lines):
            parts: list[Content | tuple[str, str]] = []
            at = 0
            for start, end in figure.spans(row):
                parts.append(self._plain(line[at:start], row, at))
                parts.append((line[start:end], MARKED_STYLE))
                at = end
            parts.append(self._plain(line[at:], row, at))
            rows.append(Content.assemble(*parts))
        return Content("\n").join(rows)

    @staticmethod
    def _plain(text: str, row: int, at: int) -> Content:
        """Unmarked figure cells; the R and L labels of the top row stand out."""
        if row != 0:
            return Content.styled(text, FIGURE_STYLE)
        styled = [
            Content.styled(char, LABEL_STYLE if (at + i) in (0, bodymap.WIDTH - 1) else FIGURE_STYLE)
            for i, char in enumerate(text)
        ]
        return Content("").join(styled)
