"""Plans from the therapist: each plan with its adherence and its versions, its items with this
week's progress, and Enter to start the highlighted item (the session then counts towards its
plan). A plan's own routine is started as `PLAN/ID` (`coach.library`), so two plans' routines of
one id or title never stand in for each other; the list shows titles under each plan, and the
detail says when a routine is the plan's own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coach import paths
from coach.adherence import PlansData
from coach.text import duration_about, short_day, visible

if TYPE_CHECKING:
    from coach.adherence import ItemView, PlanView
    from coach.library import RoutineInfo
    from coach.tui.app import CoachApp

STATUS = {"active": "running", "upcoming": "not started", "ended": "ended"}


def read_plans(app: Any) -> PlansData:
    """The stored plans as of the app's today, against the history and the library: what
    the plans screen and the home screen's "due today" show. Reads files: call it from a
    worker thread. A plans folder without plan files (most people) reads nothing more and
    loads no plan model; an unreadable history or plans folder becomes `PlansData.error`."""
    services = app.services  # coach.tui.services.Services
    today = (services.today or date.today)()
    folder = Path(services.plans_dir)
    if not any(folder.glob("*.json")):
        # No plan imported (most people): nothing to show, and no reason to read the
        # history or import the plan models (pydantic) while the home screen is starting.
        return PlansData(today)
    from coach.adherence import plan_views
    from coach.errors import CoachError
    from coach.history_view import plan_records
    from coach.plan_store import list_plans

    try:
        catalog = app.catalog
        if catalog is None:
            catalog = services.library().infos()
        infos = {info.id: info for info in catalog}
        history_path = services.history_path or paths.history_file()
        stored, problems = list_plans(folder)
        records = plan_records(history_path, [entry.plan.id for entry in stored])
        versions = {entry.plan.id: entry.all_versions for entry in stored}
        views = plan_views([entry.plan for entry in stored], records, today, infos, versions)
    except CoachError as exc:
        return PlansData(today, error=exc.message)
    except OSError as exc:
        return PlansData(today, error=f"cannot read the plans: {exc.strerror or exc}")
    return PlansData(today, views, problems)


# Changes of the current version listed under a plan's items, at most; `coach plan report` has all.
MAX_CHANGES = 3


def versions_text(view: PlanView) -> str:
    """ "2 versions, this one since Tue 24 Nov" (`coach plan import` stores a changed plan
    as a new version from the day of its import), or "" for a plan never changed."""
    if len(view.versions) < 2:
        return ""
    return f"{len(view.versions)} versions, this one since {short_day(view.versions[-1].effective)}"


def plan_prompt(view: PlanView) -> Content:
    """The plan's heading: its id (a plan's name), client and therapist; its dates,
    status, adherence so far; and, once it changed, how many versions and since when."""
    plan = view.plan
    facts = (
        f"{short_day(plan.starts)} – {short_day(plan.ends)} · {STATUS[view.status]} · "
        f"adherence {view.share_text}"
    )
    parts: list[Any] = [
        (visible(plan.id), "bold $accent"),
        (visible(f" · for {plan.client} from {plan.therapist.name}"), "$text-muted"),
        "\n",
        (facts, "$text-muted"),
    ]
    if versions := versions_text(view):
        parts += ["\n", (versions, "$text-muted")]
    return Content.assemble(*parts)


def own_routine(item: ItemView) -> bool:
    """The item names the plan's own routine (listed as `PLAN/ID`)."""
    return item.routine.startswith(f"{item.plan_id}/")


def changes_text(view: PlanView, titles: Mapping[str, str]) -> str:
    """What the current version changed, in one line of routine titles ("Changed from Tue
    24 Nov: Neck release 4 → 5 a week; …"), or "" for a first version. `titles`: routine
    ids of the library (`PLAN/ID` for a plan's own) to titles; an id not there is shown."""
    if len(view.versions) < 2:
        return ""
    from coach.plan_versions import plan_changes

    plan_id = view.plan.id
    changes = [c for c in plan_changes(view.versions) if c.version == view.versions[-1].number]
    if not changes:
        return ""

    def titled(routine: str | None) -> str | None:
        if routine is None:
            return None
        return titles.get(f"{plan_id}/{routine}") or titles.get(routine) or routine

    words = [replace(c, routine=titled(c.routine)).description.partition(": ")[2] for c in changes]
    shown = "; ".join(words[:MAX_CHANGES])
    more = ""
    if len(words) > MAX_CHANGES:
        more = f"; and {len(words) - MAX_CHANGES} more (see `coach plan report`)"
    return f"Changed from {short_day(changes[0].day)}: {shown}{more}."


def item_prompt(item: ItemView, running: bool) -> Content:
    if not running:
        mark = ("  ", "")
    elif item.is_done:
        mark = ("✓ ", "bold $success")
    else:
        mark = ("○ ", "bold $accent")
    length = duration_about(item.seconds) if item.seconds is not None else "not found"
    today = ""
    if running and item.due_today:
        today = " · done today" if item.done_today and item.by_days else " · due today"
    # "2 of 5 this week" already says how often a per-week item is; weekdays need saying.
    schedule = f" · {item.schedule}" if item.by_days or not running else ""
    week = f" · {item.week_text}" if running else ""
    return Content.assemble(
        "  ",
        mark,
        (visible(item.title), "bold"),
        (visible(f" · {length}{schedule}{week}{today}"), "$text-muted"),
    )


class PlanItems(OptionList):
    """Plans as headings (not selectable) with their items under them."""

    BINDINGS = [Binding("enter", "select", "Start")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: dict[str, tuple[PlanView, ItemView]] = {}

    def show(self, views: list[PlanView]) -> None:
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        self.entries = {}
        self.clear_options()
        options: list[Option] = []
        for number, view in enumerate(views):
            if number:
                options.append(Option(" ", disabled=True))
            options.append(Option(plan_prompt(view), id=f"plan:{view.plan.id}", disabled=True))
            running = view.status == "active"
            for item in view.items:
                key = f"item:{view.plan.id}:{item.routine}"
                self.entries[key] = (view, item)
                options.append(Option(item_prompt(item, running), id=key))
        self.add_options(options)
        keys = [o.id for o in options]
        if current in self.entries:
            self.highlighted = keys.index(current)
        elif self.entries:
            # The first item due today and not done, else the first item.
            due = [k for k, (v, i) in self.entries.items() if v.status == "active" and i.due_today
                   and not i.is_done]  # fmt: skip
            self.highlighted = keys.index(due[0] if due else next(iter(self.entries)))

    @property
    def current(self) -> tuple[PlanView, ItemView] | None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        return self.entries.get(option.id)


class PlansScreen(Screen[None]):
    DEFAULT_CSS = """
    #plans-page {
        padding: 0 1;
    }
    #plans-status {
        height: auto;
        margin-bottom: 1;
    }
    #plan-items {
        height: 1fr;
        min-height: 3;
        border: round $panel-lighten-2;
    }
    #plan-items:focus {
        border: round $accent;
    }
    #plan-detail {
        height: auto;
        max-height: 7;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.ask_quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: PlansData | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="plans-page"):
            yield Static(Content.styled("Plans from your therapist", "bold $accent"), classes="page-title")
            yield Static("Loading…", id="plans-status", markup=False)
            yield PlanItems(id="plan-items")
            yield Static("", id="plan-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PlanItems).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:  # back from a session: its progress changed
            self.reload()

    @work(thread=True, exclusive=True, group="plans")
    def reload(self) -> None:
        data = read_plans(self.app)
        self.app.call_from_thread(self.show_data, data)

    def show_data(self, data: PlansData) -> None:
        self.data = data
        status = self.query_one("#plans-status", Static)
        items = self.query_one(PlanItems)
        items.show(data.views)
        if data.error:
            status.update(Content.styled(visible(data.error), "$text-error"))
        elif not data.views:
            status.update(Content.assemble(
                "No plan yet. When your therapist gives you a plan file, add it with:\n",
                ("  coach plan import FILE", "bold"),
            ))  # fmt: skip
        else:
            parts: list[Any] = ["Enter starts the highlighted item; the session counts towards its plan."]
            if data.problems:
                parts.append((f"\n{len(data.problems)} stored plan(s) could not be read: see "
                               "`coach plan list`.", "$text-warning"))  # fmt: skip
            status.update(Content.assemble(*parts))
        items.display = bool(data.views)
        self._show_detail()

    @on(OptionList.OptionHighlighted, "#plan-items")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#plan-detail", Static)
        current = self.query_one(PlanItems).current
        if current is None:
            detail.update("")
            return
        view, item = current
        parts: list[Any] = []
        if own_routine(item):  # its title may be a built-in's or another plan's too: say whose
            parts += [(visible(f"{item.title}: this plan's own routine."), "$text-muted")]
        if item.note:
            parts += ["\n" if parts else "", ("Note: ", "bold"), visible(item.note)]
        if view.plan.note:
            parts += ["\n" if parts else "", (visible(f"From {view.plan.therapist.name}: "), "bold"),
                      visible(view.plan.note)]  # fmt: skip
        if view.status != "active":
            when = "starts" if view.status == "upcoming" else "ended"
            day = view.plan.starts if view.status == "upcoming" else view.plan.ends
            parts += ["\n" if parts else "", (f"This plan {when} on {short_day(day)}: a session now does not "
                                             "count towards it.", "$text-warning")]  # fmt: skip
        titles = {info.id: info.title for info in self.coach.catalog or []}
        if changed := changes_text(view, titles):
            parts += ["\n" if parts else "", (visible(changed), "$text-muted")]
        detail.update(Content.assemble(*parts))

    @on(OptionList.OptionSelected, "#plan-items")
    def _selected(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        current = self.query_one(PlanItems).current
        if current is None:
            return
        view, item = current
        catalog = self.coach.catalog or []
        # item.routine is the listing id: `PLAN/ID` for the plan's own routine, never another's.
        info = next((i for i in catalog if i.id == item.routine), None)
        if info is None:
            self.notify(
                visible(f"The routine '{item.routine}' is not available."), severity="error", markup=False
            )
            return
        start_plan_item(self.coach, info, view.plan.id if view.status == "active" else None)

    def action_back(self) -> None:
        self.dismiss(None)

    @property
    def coach(self) -> CoachApp:
        return self.app  # type: ignore[return-value]


def start_plan_item(app: CoachApp, info: RoutineInfo, plan_id: str | None) -> None:
    """Start a session of `info`; with a `plan_id` the session carries the plan's id (it
    counts towards the plan), and the app comes back here after it."""
    from coach.start import StartRequest

    if plan_id is None:
        app.start_session(info)
        return
    app.start_session(info, StartRequest(info, plan=plan_id, exit_after=False))
