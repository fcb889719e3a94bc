"""The body map: a small text-art figure, front or back, with a step's area marked.

Pure data in, text out (no screen, no I/O): the player's widget, `coach show` and the
handout all draw what `render` returns.

The figure is 16 columns by 12 rows of printable ASCII, so it reads the same in any terminal
font, on `TERM=dumb`, on a monochrome screen and on paper. A marked part is drawn with `#`
(its outline kept where the outline gives the shape), so it shows without colour; a screen
may colour the marked cells too (`BodyMap.cells`, `BodyMap.spans`).

Left and right are always the person's own. In the front view the person faces you, so
their right side is on your left; in the back view you look at their back, so their left is
on your left. Each figure says which with an `R` and an `L` in its top corners.

The figure is drawn as three aligned grids per view: the plain figure, the same figure with
every part marked, and a map of which part each cell belongs to. A cell of a marked part is
taken from the marked grid, every other cell from the plain one. A side (left or right)
marks only the cells on that half of the figure.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AREA_PARTS",
    "HEIGHT",
    "MARK",
    "UNSIDED",
    "WIDTH",
    "BodyMap",
    "View",
    "default_view",
    "render",
    "render_html",
    "side_by_side",
    "views",
]

View = Literal["front", "back"]

MARK = "#"  # the character a marked part is filled with
WIDTH = 16
HEIGHT = 12

# Part codes (the third grid of each view): H head (skull, temples), F face, E eyes, J jaw,
# N neck, S shoulders, C chest, B belly, U upper back, W lower back (waist), A upper arm,
# X forearm and hand, P hips (pelvis, seat), G legs, T feet. A space belongs to no part: the
# background, the labels, and the spine in the back view (left unmarked so that a marked
# back shows the spine between its two sides).
_FRONT = (
    "R     .--.     L",
    "     ( oo )     ",
    "      \\__/      ",
    "   ___|  |___   ",
    "  /          \\  ",
    " / /|      |\\ \\ ",
    " | ||      || | ",
    " |_||      ||_| ",
    " (_)|__/\\__|(_) ",
    "    |  ||  |    ",
    "    |  ||  |    ",
    "   (___)(___)   ",
)
_FRONT_MARKED = (
    "R     ####     L",
    "     ######     ",
    "      ####      ",
    "   ###|##|###   ",
    "  ############  ",
    " ###|######|### ",
    " ###|######|### ",
    " ###|######|### ",
    " ###|##/\\##|### ",
    "    |##||##|    ",
    "    |##||##|    ",
    "   (###)(###)   ",
)
_FRONT_PARTS = (
    "      HHHH      ",
    "     HFEEFH     ",
    "      JJJJ      ",
    "   SSSNNNNSSS   ",
    "  SSSCCCCCCSSS  ",
    " AAACCCCCCCCAAA ",
    " AAABBBBBBBBAAA ",
    " XXXBBBBBBBBXXX ",
    " XXXPPPPPPPPXXX ",
    "    GGGGGGGG    ",
    "    GGGGGGGG    ",
    "   TTTTTTTTTT   ",
)
_BACK = (
    "L     .--.     R",
    "     (    )     ",
    "      \\  /      ",
    "   ___|  |___   ",
    "  /    ::    \\  ",
    " / /|  ::  |\\ \\ ",
    " | ||  ::  || | ",
    " |_||  ::  ||_| ",
    " (_)|__)(__|(_) ",
    "    |  ||  |    ",
    "    |  ||  |    ",
    "   (___)(___)   ",
)
_BACK_MARKED = (
    "L     ####     R",
    "     ######     ",
    "      \\##/      ",
    "   ###|##|###   ",
    "  #####::#####  ",
    " ###|##::##|### ",
    " ###|##::##|### ",
    " ###|##::##|### ",
    " ###|##)(##|### ",
    "    |##||##|    ",
    "    |##||##|    ",
    "   (###)(###)   ",
)
_BACK_PARTS = (
    "      HHHH      ",
    "     HHHHHH     ",
    "      HHHH      ",
    "   SSSNNNNSSS   ",
    "  SSSUU  UUSSS  ",
    " AAAUUU  UUUAAA ",
    " AAAWWW  WWWAAA ",
    " XXXWWW  WWWXXX ",
    " XXXPPPPPPPPXXX ",
    "    GGGGGGGG    ",
    "    GGGGGGGG    ",
    "   TTTTTTTTTT   ",
)
_GRIDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "front": (_FRONT, _FRONT_MARKED, _FRONT_PARTS),
    "back": (_BACK, _BACK_MARKED, _BACK_PARTS),
}

# Which parts each area of the routine format (DESIGN.md, "Routine format") marks, per view
# it can be seen in. "breath" marks the chest and belly; "whole-body" every part.
AREA_PARTS: dict[str, dict[str, str]] = {
    "head": {"front": "H", "back": "H"},
    "face": {"front": "FE"},
    "eyes": {"front": "E"},
    "jaw": {"front": "J"},
    "neck": {"back": "N", "front": "N"},
    "shoulders": {"back": "S", "front": "S"},
    "upper-back": {"back": "U"},
    "lower-back": {"back": "W"},
    "chest": {"front": "C"},
    "arms": {"front": "A", "back": "A"},
    "forearms-hands": {"front": "X", "back": "X"},
    "hips": {"front": "P", "back": "P"},
    "legs": {"front": "G", "back": "G"},
    "feet": {"front": "T", "back": "T"},
    "breath": {"front": "CB"},
    "whole-body": {"front": "HFEJNSCBAXPGT", "back": "HNSUWAXPGT"},
}
# The first view listed above is the one chosen when none is asked for. The back for the
# neck and shoulders: the built-in routines work the back of the neck and the top of the
# shoulders (upper trapezius), and the front of the neck is a place never to press. The
# front for the head (temples), hips (hip flexors, what sitting shortens) and limbs.

# Areas without a left and a right: a side given with them is ignored (breathing uses both
# lungs; the format gives breathing steps no side).
UNSIDED = frozenset({"breath"})

_SIDE_WORDS = {"left": "left side", "right": "right side"}


def views(area: str) -> tuple[View, ...]:
    """The views an area can be seen in, the default first. ValueError for an unknown area."""
    return tuple(_parts(area))  # type: ignore[arg-type]


def default_view(area: str) -> View:
    """The view `render` uses when none is given (see AREA_PARTS). ValueError if unknown."""
    return views(area)[0]


def _parts(area: str) -> dict[str, str]:
    try:
        return AREA_PARTS[area]
    except KeyError:
        raise ValueError(f"unknown body area {area!r}; areas are: {', '.join(AREA_PARTS)}") from None


@dataclass(frozen=True)
class BodyMap:
    """A drawn figure: `lines` (HEIGHT strings of WIDTH printable ASCII characters), and
    `cells`, the (row, column) of every marked cell, for a screen that colours them.

    `side` is "left" or "right" when only that side is marked, else None (both sides)."""

    area: str
    side: Literal["left", "right"] | None
    view: View
    lines: tuple[str, ...]
    cells: frozenset[tuple[int, int]]

    @property
    def text(self) -> str:
        """The figure as one string, lines joined by newlines (no trailing newline)."""
        return "\n".join(self.lines)

    def spans(self, row: int) -> tuple[tuple[int, int], ...]:
        """The marked runs of one row as (start, end) column pairs, end exclusive, left to
        right."""
        columns = sorted(c for r, c in self.cells if r == row)
        runs: list[tuple[int, int]] = []
        for column in columns:
            if runs and runs[-1][1] == column:
                runs[-1] = (runs[-1][0], column + 1)
            else:
                runs.append((column, column + 1))
        return tuple(runs)

    @property
    def caption(self) -> str:
        """A short label: "neck, back" or "feet, left side, front"."""
        words = [self.area]
        if self.side:
            words.append(_SIDE_WORDS[self.side])
        words.append(self.view)
        return ", ".join(words)

    @property
    def description(self) -> str:
        """The text alternative, one sentence: what is marked, in which view, and whose
        left and right."""
        from coach.vocabulary import area_words

        area = "body" if self.area == "whole-body" and self.side else area_words(self.area)
        where = f"{_SIDE_WORDS[self.side]} of the {area}" if self.side else area
        facing = {
            "front": "facing you, their right on your left",
            "back": "from behind, their left on your left",
        }[self.view]
        # "marked: shoulders", never "the shoulders is marked" (issue 13).
        return f"Body map, {self.view} view ({facing}); marked with {MARK}: {where}."


def render(area: str, side: str | None = None, *, view: View | None = None) -> BodyMap:
    """The figure for `area` (an area of the routine format) with that area marked.

    `side`: "left" or "right" marks only the person's own left or right (ignored for an
    area in UNSIDED); "both", "each" or None mark both sides (a player showing one pass
    of an "each" step passes that pass's side). `view`: "front" or "back"; None chooses
    `default_view(area)`.
    ValueError for an unknown area or side, or a view the area cannot be seen in (the
    upper back from the front, the face from behind)."""
    parts = _parts(area)
    chosen: str = view or default_view(area)
    if chosen not in _GRIDS:
        raise ValueError(f"unknown view {view!r}; views are: front, back")
    if chosen not in parts:
        raise ValueError(f"the {area} cannot be seen in the {chosen} view")
    if side not in (None, "left", "right", "both", "each"):
        raise ValueError(f"unknown side {side!r}; sides are: left, right, both, each")
    one_side: Literal["left", "right"] | None = None
    if side in ("left", "right") and area not in UNSIDED:
        one_side = side  # type: ignore[assignment]
    plain, marked, part_grid = _GRIDS[chosen]
    codes = parts[chosen]
    # Columns 0-7 are the viewer's left half: the person's right in the front view.
    left_half_is = "right" if chosen == "front" else "left"
    lines: list[str] = []
    cells: set[tuple[int, int]] = set()
    for row, (plain_row, marked_row, part_row) in enumerate(zip(plain, marked, part_grid, strict=True)):
        drawn = []
        for column, part in enumerate(part_row):
            on_side = one_side is None or (one_side == left_half_is) == (column < WIDTH // 2)
            if part != " " and part in codes and on_side:
                cells.add((row, column))
                drawn.append(marked_row[column])
            else:
                drawn.append(plain_row[column])
        lines.append("".join(drawn))
    return BodyMap(area, one_side, chosen, tuple(lines), frozenset(cells))  # type: ignore[arg-type]


def render_html(area: str, side: str | None = None, *, view: View | None = None) -> str:
    """The figure for a printed page: a `<figure class="body-map">` holding a `<pre>` (marked
    cells inside `<b class="marked">`, so they print bold even without the page's styles,
    the text alternative as its `aria-label`) and a `<figcaption>` with the short caption
    ("hips, left side, front"). Escaped; no script, no style sheet, no
    link. Same arguments and errors as `render`."""
    drawn = render(area, side, view=view)
    rows = []
    for row, line in enumerate(drawn.lines):
        out, at = [], 0
        for start, end in drawn.spans(row):
            out.append(html.escape(line[at:start]))
            out.append(f'<b class="marked">{html.escape(line[start:end])}</b>')
            at = end
        out.append(html.escape(line[at:]))
        rows.append("".join(out).rstrip())
    label = html.escape(drawn.description)
    return (
        f'<figure class="body-map"><pre role="img" aria-label="{label}">'
        + "\n".join(rows)
        + f"</pre><figcaption>{html.escape(drawn.caption)}</figcaption></figure>"
    )


def side_by_side(figures: Sequence[tuple[BodyMap, Sequence[str]]], width: int, gap: int = 3) -> list[str]:
    """Figures laid out in rows across `width` columns, each with its caption lines under
    it, for a listing (`coach show`): a column is as wide as its figure or its longest
    caption line, `gap` spaces apart; a row holds as many as fit (at least one). Lines
    carry no trailing spaces; rows of figures are separated by an empty line."""
    out: list[str] = []
    row: list[tuple[BodyMap, Sequence[str]]] = []
    used = 0

    def flush() -> None:
        if not row:
            return
        if out:
            out.append("")
        widths = [max([WIDTH, *(len(c) for c in captions)]) for _, captions in row]
        depth = max(len(captions) for _, captions in row)
        for line in range(HEIGHT + depth):
            cells = []
            for (drawn, captions), column_width in zip(row, widths, strict=True):
                if line < HEIGHT:
                    text = drawn.lines[line]
                else:
                    text = captions[line - HEIGHT] if line - HEIGHT < len(captions) else ""
                cells.append(text.ljust(column_width))
            out.append((" " * gap).join(cells).rstrip())
        row.clear()

    for drawn, captions in figures:
        column_width = max([WIDTH, *(len(c) for c in captions)])
        needed = column_width if not row else used + gap + column_width
        if row and needed > width:
            flush()
            needed = column_width
        row.append((drawn, captions))
        used = needed
    flush()
    return out
