"""The body map renderer (coach/bodymap.py): the exact figure for every area in every view
it can be seen in, one side at a time, the layout `coach show` uses, and the HTML form.

The figures below are snapshots: a change to the drawing must show up here as a diff (look
at it in a terminal before accepting it: `python -c "from coach.bodymap import render;
print(render('neck').text)"`)."""

from __future__ import annotations

import pytest

from coach import bodymap
from coach.bodymap import HEIGHT, MARK, WIDTH, render, render_html, side_by_side
from coach.vocabulary import AREAS

FIGURES: dict[tuple[str, str], tuple[str, ...]] = {
    ("head", "front"): (
        r"R     ####     L",
        r"     # oo #     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("head", "back"): (
        r"L     ####     R",
        r"     ######     ",
        r"      \##/      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("face", "front"): (
        r"R     .--.     L",
        r"     (####)     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("eyes", "front"): (
        r"R     .--.     L",
        r"     ( ## )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("jaw", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      ####      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("neck", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|##|___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("neck", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|##|___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("shoulders", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ###|  |###   ",
        r"  ###  ::  ###  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("shoulders", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ###|  |###   ",
        r"  ###      ###  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("upper-back", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /  ##::##  \  ",
        r" / /|##::##|\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("lower-back", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||##::##|| | ",
        r" |_||##::##||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("chest", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /  ######  \  ",
        r" / /|######|\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("arms", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" ###|      |### ",
        r" ###|      |### ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("arms", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" ###|  ::  |### ",
        r" ###|  ::  |### ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("forearms-hands", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" ###|      |### ",
        r" ###|__/\__|### ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("forearms-hands", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" ###|  ::  |### ",
        r" ###|__)(__|### ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("hips", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|##/\##|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("hips", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|##)(##|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("legs", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |##||##|    ",
        r"    |##||##|    ",
        r"   (___)(___)   ",
    ),
    ("legs", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |##||##|    ",
        r"    |##||##|    ",
        r"   (___)(___)   ",
    ),
    ("feet", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (###)(###)   ",
    ),
    ("feet", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (###)(###)   ",
    ),
    ("breath", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /  ######  \  ",
        r" / /|######|\ \ ",
        r" | ||######|| | ",
        r" |_||######||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("whole-body", "front"): (
        r"R     ####     L",
        r"     ######     ",
        r"      ####      ",
        r"   ###|##|###   ",
        r"  ############  ",
        r" ###|######|### ",
        r" ###|######|### ",
        r" ###|######|### ",
        r" ###|##/\##|### ",
        r"    |##||##|    ",
        r"    |##||##|    ",
        r"   (###)(###)   ",
    ),
    ("whole-body", "back"): (
        r"L     ####     R",
        r"     ######     ",
        r"      \##/      ",
        r"   ###|##|###   ",
        r"  #####::#####  ",
        r" ###|##::##|### ",
        r" ###|##::##|### ",
        r" ###|##::##|### ",
        r" ###|##)(##|### ",
        r"    |##||##|    ",
        r"    |##||##|    ",
        r"   (###)(###)   ",
    ),
}

# One side only: (area, side, view).
SIDED: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("shoulders", "left", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ###|  |___   ",
        r"  ###  ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("shoulders", "right", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |###   ",
        r"  /    ::  ###  ",
        r" / /|  ::  |\ \ ",
        r" | ||  ::  || | ",
        r" |_||  ::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("eyes", "left", "front"): (
        r"R     .--.     L",
        r"     ( o# )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("jaw", "right", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      ##_/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("lower-back", "left", "back"): (
        r"L     .--.     R",
        r"     (    )     ",
        r"      \  /      ",
        r"   ___|  |___   ",
        r"  /    ::    \  ",
        r" / /|  ::  |\ \ ",
        r" | ||##::  || | ",
        r" |_||##::  ||_| ",
        r" (_)|__)(__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("feet", "right", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |\ \ ",
        r" | ||      || | ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (###)(___)   ",
    ),
    ("arms", "left", "front"): (
        r"R     .--.     L",
        r"     ( oo )     ",
        r"      \__/      ",
        r"   ___|  |___   ",
        r"  /          \  ",
        r" / /|      |### ",
        r" | ||      |### ",
        r" |_||      ||_| ",
        r" (_)|__/\__|(_) ",
        r"    |  ||  |    ",
        r"    |  ||  |    ",
        r"   (___)(___)   ",
    ),
    ("whole-body", "right", "back"): (
        r"L     .-##     R",
        r"     (  ###     ",
        r"      \ #/      ",
        r"   ___| #|###   ",
        r"  /    ::#####  ",
        r" / /|  ::##|### ",
        r" | ||  ::##|### ",
        r" |_||  ::##|### ",
        r" (_)|__)(##|### ",
        r"    |  ||##|    ",
        r"    |  ||##|    ",
        r"   (___)(###)   ",
    ),
}


def test_every_area_of_the_format_has_a_figure() -> None:
    assert set(bodymap.AREA_PARTS) == set(AREAS) | {"eyes", "whole-body"}
    assert {area for area, _ in FIGURES} == set(bodymap.AREA_PARTS)


@pytest.mark.parametrize(("area", "view"), list(FIGURES))
def test_figure(area: str, view: str) -> None:
    drawn = render(area, view=view)  # type: ignore[arg-type]
    assert drawn.lines == FIGURES[(area, view)]
    assert drawn.view == view and drawn.side is None


@pytest.mark.parametrize(("area", "side", "view"), list(SIDED))
def test_one_side(area: str, side: str, view: str) -> None:
    assert render(area, side, view=view).lines == SIDED[(area, side, view)]  # type: ignore[arg-type]


def test_default_views() -> None:
    chosen = {area: bodymap.default_view(area) for area in bodymap.AREA_PARTS}
    back = {area for area, view in chosen.items() if view == "back"}
    assert back == {"neck", "shoulders", "upper-back", "lower-back"}
    assert render("neck").lines == FIGURES[("neck", "back")]
    assert render("breath").lines == FIGURES[("breath", "front")]


@pytest.mark.parametrize(("area", "view"), list(FIGURES))
def test_sides_split_the_marked_cells_by_the_persons_left_and_right(area: str, view: str) -> None:
    both = render(area, view=view)  # type: ignore[arg-type]
    left = render(area, "left", view=view)  # type: ignore[arg-type]
    right = render(area, "right", view=view)  # type: ignore[arg-type]
    if area in bodymap.UNSIDED:  # no sides: a side changes nothing
        assert left == right == both
        return
    assert both.cells and left.cells | right.cells == both.cells and not left.cells & right.cells
    # The person's left is on the viewer's right in the front view, on the left from behind.
    left_columns = {column for _, column in left.cells}
    if view == "front":
        assert min(left_columns, default=WIDTH) >= WIDTH // 2
    else:
        assert max(left_columns, default=0) < WIDTH // 2
    for side in ("both", "each", None):
        assert render(area, side, view=view).lines == both.lines  # type: ignore[arg-type]


@pytest.mark.parametrize(("area", "view"), list(FIGURES))
def test_figures_are_printable_ascii_of_one_size_marked_without_colour(area: str, view: str) -> None:
    drawn = render(area, view=view)  # type: ignore[arg-type]
    plain = render("whole-body", view=view).lines  # every part marked: compare with nothing marked
    assert len(drawn.lines) == HEIGHT and all(len(line) == WIDTH for line in drawn.lines)
    assert all(line.isascii() and line.isprintable() for line in drawn.lines)
    # Every marked part shows at least one MARK where the unmarked figure has none: it
    # reads on a monochrome terminal and on paper.
    assert any(drawn.lines[r][c] == MARK for r, c in drawn.cells)
    assert all(drawn.lines[r][c] == plain[r][c] for r, c in drawn.cells)
    unmarked = {(r, c) for r in range(HEIGHT) for c in range(WIDTH)} - drawn.cells
    assert all(drawn.lines[r][c] != MARK for r, c in unmarked)


def test_labels_say_whose_left_and_right() -> None:
    front, back = render("neck", view="front").lines[0], render("neck", view="back").lines[0]
    assert (front[0], front[-1]) == ("R", "L") and (back[0], back[-1]) == ("L", "R")


def test_the_figure_is_symmetric_when_nothing_is_one_sided() -> None:
    mirror = str.maketrans("/\\()", "\\/)(")
    for view in ("front", "back"):
        lines = render("whole-body", view=view).lines  # type: ignore[arg-type]
        for line in lines[1:]:  # the top row holds R and L
            assert line == line[::-1].translate(mirror)


def test_spans_caption_and_description() -> None:
    drawn = render("lower-back", "left")
    assert drawn.spans(6) == ((4, 7),) and drawn.spans(0) == ()
    assert render("lower-back").spans(6) == ((4, 7), (9, 12))
    assert drawn.caption == "lower-back, left side, back"
    assert drawn.description == (
        "Body map, back view (from behind, their left on your left); "
        "marked with #: left side of the lower back."
    )
    assert render("whole-body").description.endswith("; marked with #: whole body.")
    assert render("shoulders").description.endswith("; marked with #: shoulders.")
    assert render("jaw").caption == "jaw, front"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: render("elbow"), "unknown body area 'elbow'"),
        (lambda: render("neck", "middle"), "unknown side 'middle'"),
        (lambda: render("upper-back", view="front"), "the upper-back cannot be seen in the front view"),
        (lambda: render("face", view="back"), "the face cannot be seen in the back view"),
        (lambda: render("neck", view="side"), "unknown view 'side'"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_value_errors(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_html_is_escaped_and_marks_cells_in_bold() -> None:
    page = render_html("hips", "left")
    assert page.startswith('<figure class="body-map"><pre role="img" aria-label="Body map, front view')
    assert page.endswith("</pre><figcaption>hips, left side, front</figcaption></figure>")
    # Only the person's left half of the hips (the viewer's right), the wall coloured with it.
    assert ' (_)|__/<b class="marked">\\##|</b>(_)' in page
    assert "<script" not in page and "href" not in page and "src=" not in page and "style" not in page
    body = page.split("<pre", 1)[1].split(">", 1)[1].split("</pre>")[0]
    text = body.replace('<b class="marked">', "").replace("</b>", "")
    import html

    assert html.unescape(text).splitlines() == [line.rstrip() for line in render("hips", "left").lines]


def test_side_by_side_wraps_to_the_width_with_captions() -> None:
    neck, jaw, feet = render("neck"), render("jaw"), render("feet", "left")
    figures = [(neck, ["steps 1-3", neck.caption]), (jaw, ["step 4", jaw.caption]),
               (feet, ["step 5", feet.caption])]  # fmt: skip
    # "feet, left side, front" is 22 columns: its column is that wide, so all three need 60.
    assert len(side_by_side(figures, 60)) == HEIGHT + 2
    two_wide = side_by_side(figures, 59)
    assert len(two_wide) == 2 * (HEIGHT + 2) + 1 and two_wide[HEIGHT + 2] == ""
    assert two_wide[0] == neck.lines[0] + "   " + jaw.lines[0]
    assert two_wide[HEIGHT] == "steps 1-3" + " " * 10 + "step 4"
    assert two_wide[-1] == "feet, left side, front"
    assert all(line == line.rstrip() and len(line) <= 59 for line in two_wide)
    one_row = side_by_side(figures, 80)
    assert len(one_row) == HEIGHT + 2
    assert one_row[HEIGHT + 1] == "neck, back" + " " * 9 + "jaw, front" + " " * 9 + "feet, left side, front"
    alone = [line.rstrip() for line in neck.lines]
    assert side_by_side(figures[:1], 5) == [*alone, "steps 1-3", "neck, back"]
    assert side_by_side([], 80) == []
