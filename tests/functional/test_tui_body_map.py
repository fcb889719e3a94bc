"""The body map widget (coach/tui/widgets/body_map.py) in a bare app: it paints exactly the
figure of coach.bodymap, the marked cells bold in the accent colour and the rest not, at its
fixed 16 × 12 size, follows `show`, and draws nothing for a step without an area. One small
snapshot shows it in colour (tests/functional/__snapshots__/test_tui_body_map/)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region

from coach.bodymap import HEIGHT, MARK, WIDTH, render
from coach.tui.widgets.body_map import BodyMap


class MapApp(App[None]):
    def __init__(self, area: str | None, side: str | None) -> None:
        super().__init__()
        self.area, self.side = area, side

    def compose(self) -> ComposeResult:
        yield BodyMap(self.area, self.side)


def _painted(widget: BodyMap) -> list[list[tuple[str, bool, str]]]:
    """Each row as (text, bold, colour) runs, as the widget paints them."""
    rows = []
    for strip in widget.render_lines(Region(0, 0, WIDTH, HEIGHT)):
        rows.append([(s.text, bool(s.style and s.style.bold), str(s.style.color if s.style else None))
                     for s in strip if s.text])  # fmt: skip
    return rows


async def test_paints_the_figure_with_the_marked_part_styled() -> None:
    app = MapApp("shoulders", "left")
    async with app.run_test(size=(24, 14)) as pilot:
        widget = app.query_one(BodyMap)
        assert (widget.size.width, widget.size.height) == (WIDTH, HEIGHT)
        figure = render("shoulders", "left")
        rows = _painted(widget)
        assert ["".join(text for text, _, _ in row) for row in rows] == list(figure.lines)
        marked_colours = set()
        for row_number, row in enumerate(rows):
            column = 0
            for text, bold, colour in row:
                for offset, char in enumerate(text):
                    cell = (row_number, column + offset)
                    if cell in figure.cells:
                        assert bold, cell
                        marked_colours.add(colour)
                    elif row_number > 0 or cell[1] not in (0, WIDTH - 1):  # not the R / L labels
                        assert not bold and char != MARK, cell
                column += len(text)
        assert len(marked_colours) == 1  # one accent colour, distinct from the figure's
        assert marked_colours.isdisjoint(colour for row in rows[1:] for text, bold, colour in row if not bold)
        assert widget.tooltip == figure.description

        widget.show("feet", "right")
        await pilot.pause()
        assert "".join(t for t, _, _ in _painted(widget)[-1]) == render("feet", "right").lines[-1]
        widget.show(None)
        await pilot.pause()
        assert all(not "".join(t for t, _, _ in row).strip() for row in _painted(widget))
        widget.show("no-such-area")  # never crashes the player
        assert widget.figure is None


def test_snapshot(snap_compare: Any) -> None:
    assert snap_compare(MapApp("neck", "both"), terminal_size=(20, 13))
