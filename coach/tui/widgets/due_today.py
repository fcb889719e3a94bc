"""Home: what the therapist's plans ask for today, with their notes and the week's progress.

Hidden while there is nothing to show (no plan running). It reads the plans and the history
in a worker thread when it is mounted and whenever its screen comes back to the front (after
a session, or from the plans screen). Text from plans is shown literally (Content, never
markup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from coach.text import visible
from coach.tui.text import minutes

if TYPE_CHECKING:
    from coach.plan_progress import ItemView, PlanView

MAX_ITEMS = 4  # lines of items at most; the plans screen has the rest


@dataclass
class PlansData:
    """What both plan views need, gathered off the event loop."""

    today: date
    views: list[PlanView] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def plans_folder(services: Any) -> Path:
    """The app's plans folder: `services.plans_dir` when the app provides one, else the
    data folder's (COACH_HOME in tests)."""
    folder = getattr(services, "plans_dir", None)
    if folder is not None:
        return Path(folder)
    from coach import paths

    return paths.plans_dir()


def gather(app: Any) -> PlansData:
    """Read the plans and the history for the app (call from a worker thread)."""
    services = getattr(app, "services", None)
    today_of = getattr(services, "today", None) or date.today
    today = today_of()
    folder = plans_folder(services)
    if not any(folder.glob("*.json")):
        # No plan imported (most people): nothing to show, and no reason to read the
        # history or import the plan models (pydantic) while the home screen is starting.
        return PlansData(today)
    from coach.errors import CoachError
    from coach.history import HistoryStore
    from coach.plan_progress import plan_views

    try:
        catalog = getattr(app, "catalog", None)
        if catalog is None:
            library = services.library() if services is not None else None
            catalog = library.infos() if library is not None else []
        infos = {info.id: info for info in catalog}
        history_path = getattr(services, "history_path", None)
        if history_path is None:
            from coach import paths

            history_path = paths.history_file()
        records = HistoryStore(history_path).read().records
        views, problems = plan_views(folder, records, today, infos)
    except CoachError as exc:
        return PlansData(today, error=exc.message)
    except OSError as exc:
        return PlansData(today, error=f"cannot read the plans: {exc.strerror or exc}")
    return PlansData(today, views, problems)


def item_line(item: ItemView, *, plan: str | None = None) -> Content:
    """One item on one line: done mark, title, progress, the therapist's note."""
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
    if plan:
        parts.append((f" · {visible(plan)}", "$text-muted"))
    if item.note:
        parts += ["  ", visible(item.note)]
    return Content.assemble(*parts)


def due_content(data: PlansData) -> Content | None:
    """The widget's text, or None when it should hide."""
    running = [v for v in data.views if v.status == "active"]
    if not running:
        return None
    from coach.plan_progress import due_today  # the plan models: only when there are plans

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

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self.reload()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen:
            self.reload()

    @work(thread=True, exclusive=True, group="due-today")
    def reload(self) -> None:
        data = gather(self.app)
        self.app.call_from_thread(self.show_data, data)

    def show_data(self, data: PlansData) -> None:
        self.data = data
        content = due_content(data)
        self.display = content is not None
        if content is not None:
            self.update(content)
