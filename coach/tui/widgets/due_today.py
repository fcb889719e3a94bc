"""Home: what the therapist's plans ask for today, with their notes and the week's progress.

Hidden while there is nothing to show (no plan running). Items show routine titles; a plan's
own routine (`PLAN/ID`) is marked as the plan's own, and with several plans running every
item names its plan, so two plans' routines of one title are told apart. It reads nothing itself: its
screen gathers the plans (`coach.tui.screens.plans.read_plans`, in a worker) and hands
the result to `show_data`. Text from plans is shown literally (Content, never markup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import Static

from coach.text import duration_rounded as minutes
from coach.text import visible

if TYPE_CHECKING:
    from coach.adherence import ItemView, PlansData

MAX_ITEMS = 4  # lines of items at most; the plans screen has the rest


def item_line(item: ItemView, *, plan: str | None = None) -> Content:
    """One item on one line: done mark, title, progress, whose (`plan`: the plan's id, shown
    when several plans run; a plan's own routine says so), the therapist's note."""
    if item.is_done:
        mark = ("✓ ", "bold $success")
        state = "done today" if item.by_days else f"done for this week ({item.week_text})"
    else:
        mark = ("○ ", "bold $accent")
        state = item.week_text
    length = f" ({minutes(item.seconds)})" if item.seconds is not None else " (not found)"
    parts: list[Any] = [
        mark, (visible(item.title), "bold"), (length, "$text-muted"), (f" · {visible(state)}", "$text-muted")
    ]  # fmt: skip
    own = item.routine.startswith(f"{item.plan_id}/")  # listed as PLAN/ID
    if plan:
        parts.append((f" · {visible(plan)}" + ("'s own" if own else ""), "$text-muted"))
    elif own:
        parts.append((" · the plan's own", "$text-muted"))
    if item.note:
        parts += ["  ", visible(item.note)]
    return Content.assemble(*parts)


def due_content(data: PlansData) -> Content | None:
    """The widget's text, or None when it should hide."""
    running = [v for v in data.views if v.status == "active"]
    if not running:
        return None
    from coach.adherence import due_today  # the plan models: only when there are plans

    due = due_today(running)
    if len(running) == 1:
        view = running[0]
        head: list[Any] = [
            ("Today's plan", "bold $accent"),
            (visible(f" · {view.plan.id} · {view.week_text}"), "$text-muted"),
        ]
    else:
        head = [("Today's plans", "bold $accent"), (f" · {len(running)} running", "$text-muted")]
    lines = [Content.assemble(*head, ("   p: plans", "$text-muted"))]
    if not due:
        lines.append(Content.styled("Nothing due today.", "$text-muted"))
    shown = due if len(due) <= MAX_ITEMS else due[: MAX_ITEMS - 1]
    for item in shown:
        lines.append(item_line(item, plan=item.plan_id if len(running) > 1 else None))
    if len(shown) < len(due):
        lines.append(Content.styled(f"+{len(due) - len(shown)} more: press p", "$text-muted"))
    return Content("\n").join(lines)


class DueToday(Static):
    """The running plans' items for today, at most `MAX_ITEMS` lines; hidden without a plan."""

    DEFAULT_CSS = """
    DueToday {
        height: auto;
        max-height: 5;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.display = False
        self.data: PlansData | None = None

    def show_data(self, data: PlansData) -> None:
        """Show what the screen gathered (hide when no plan is running)."""
        self.data = data
        content = due_content(data)
        self.display = content is not None
        if content is not None:
            self.update(content)
