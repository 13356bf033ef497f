"""The partner app: first-run questions, then one return at a time, autosaved, then signed.

The app owns navigation and the few things every screen shares: the remembered config, the
current :class:`~dapreturn.core.filling.session.FillSession` and its :class:`Autosaver`, and
the theme. Screens get the data they show in their constructors and report back by ``dismiss``
or messages. Where a return starts, and signing, are core's (:mod:`dapreturn.core.filling`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.binding import Binding, BindingType

from dapreturn.core.config import ConfigError, UserConfig, load_config, save_config
from dapreturn.core.errors import DapreturnError, PlanError
from dapreturn.core.filling.drafts import DraftStore
from dapreturn.core.filling.launch import (
    LaunchOptions,
    available_plans,
    display_path,
    plan_to_remember,
    requested_period,
    resolve_is,
)
from dapreturn.core.filling.session import FillSession, SaveTarget
from dapreturn.core.filling.start import Origin, begin, default_period, find_start
from dapreturn.core.periods import Period
from dapreturn.core.plan.model import DEFAULT_PLAN_ID, Plan, resolve_plan
from dapreturn.core.policy import returns_folder
from dapreturn.tui.ordered_input import OrderedInputApp
from dapreturn.tui.partner.autosave import Autosaver
from dapreturn.tui.partner.screens.main import MainScreen
from dapreturn.tui.screenshot import ScreenshotApp
from dapreturn.tui.themes import CONFIG_NAMES, HIGH_CONTRAST_THEME, THEMES

STYLES = Path(__file__).resolve().parent.parent / "styles"
"""Folder of the ``.tcss`` style sheets."""


class PartnerApp(OrderedInputApp[None], ScreenshotApp[None]):
    """Fill in and sign a quarterly return."""

    TITLE = "dapreturn"
    CSS_PATH = STYLES / "partner.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Save your draft and quit"),
        Binding("ctrl+t", "toggle_contrast", "High contrast on/off", show=False),
    ]

    def __init__(self, options: LaunchOptions | None = None) -> None:
        """Start with ``options`` (command-line answers)."""
        super().__init__()
        self.options = options or LaunchOptions()
        """What was asked for on the command line."""
        self.config = UserConfig()
        """Remembered answers."""
        self._config_problem: ConfigError | None = None
        try:  # read before the first frame, so the theme is right from the start
            self.config = load_config()
        except ConfigError as exc:
            self._config_problem = exc
        self.session: FillSession | None = None
        """The return being filled in (``None`` before one is open)."""
        self.autosaver: Autosaver | None = None
        """Autosave of the current session."""
        self._quit_anyway = False
        # No scroll animations: the view is where the cursor is at once, even when keys come
        # quickly (an animated scroll to the previous field could end after the next one).
        self.animation_level = "none"
        for theme in THEMES:
            self.register_theme(theme)
        # The theme before the first frame: changing it later re-styles every widget.
        self.theme = CONFIG_NAMES[self.config.theme]

    def on_mount(self) -> None:
        """Say if the config could not be read, then start."""
        if self._config_problem is not None:
            problem = self._config_problem
            self.notify(
                f"{problem}. Your choices will not be remembered.", severity="error", markup=False
            )
        self.start()
        # Screens are pushed on top as the lead goes: look again now and then, not only on resize.
        self.set_interval(0.5, self._check_size)

    def on_resize(self, event: events.Resize) -> None:
        """Below 80x24 say the terminal is too small (the layout would cut the footer)."""
        self.call_later(self._check_size)

    def _check_size(self) -> None:
        """Show or update or close the "too small" message for the current size."""
        from dapreturn.tui.too_small import TooSmallScreen, too_small

        width, height = self.size
        top = self.screen
        if isinstance(top, TooSmallScreen):
            if too_small(width, height):
                top.show_size(width, height)
            else:
                top.dismiss(None)
        elif too_small(width, height):
            self.push_screen(TooSmallScreen())

    def remember(self, **changes: str | None) -> None:
        """Update and save the config (unless it could not be read: never replace it)."""
        self.config = self.config.model_copy(update=changes)
        if self._config_problem is None:
            try:
                save_config(self.config)
            except DapreturnError as exc:
                self.notify(
                    f"Could not remember your choices: {exc}", severity="warning", markup=False
                )

    @property
    def out_dir(self) -> Path:
        """Where signed returns go: ``--out``, else remembered, else the portable-aware default."""
        return returns_folder(self.options.out_dir, self.config)

    def _plans(self, current: Plan | None) -> list[Plan]:
        """The bundled plans plus the one given on the command line (problems are shown)."""
        plans, problems = available_plans(current)
        for problem in problems:
            self.notify(
                problem, title="A bundled plan could not be read", severity="error", markup=False
            )
        return plans

    def _period(self, plan: Plan) -> Period | None:
        """The ``--period`` asked for, if it is one of the plan's (else say why)."""
        period, problem = requested_period(plan, self.options.period, self.options.today)
        if problem:
            self.notify(problem, severity="error", markup=False)
        return period

    @work(exclusive=True, group="start")
    async def start(self, *, ask: bool = False) -> None:
        """Ask what is not known yet (or everything when ``ask``), then open the return."""
        plan_ref = self.options.plan or self.config.plan or DEFAULT_PLAN_ID
        plan: Plan | None = None
        try:
            plan = resolve_plan(plan_ref)
        except PlanError as exc:
            self.notify(
                str(exc), title="Plan not found", severity="error", timeout=10, markup=False
            )
        partner = self.options.partner or self.config.partner
        prepared_by = self.config.prepared_by or ""
        period = self._period(plan) if plan else None
        if ask and self.session is not None:
            period = self.session.period
        if self.options.partner and plan and plan.partner(self.options.partner) is None:
            self.notify(
                f"{self.options.partner!r} is not a partner of this plan",
                severity="error",
                markup=False,
            )
        known = plan is not None and partner and plan.partner(partner) and prepared_by
        if ask or not known or plan is None or partner is None:
            plans = self._plans(plan)
            if not plans:
                self.exit(message="No action plan could be read.")
                return
            from dapreturn.tui.partner.screens.setup import SetupScreen

            choice = await self.push_screen_wait(
                SetupScreen(
                    plans,
                    plan_id=plan.id if plan else plans[0].id,
                    partner=partner,
                    prepared_by=prepared_by,
                    period=period,
                    today=self.options.today,
                    can_cancel=self.session is not None,
                )
            )
            if choice is None:
                return
            plan, partner, prepared_by, period = (
                choice.plan,
                choice.partner,
                choice.prepared_by,
                choice.period,
            )
            plan_value = plan_to_remember(plan_ref) if resolve_is(plan_ref, plan) else plan.id
            self.remember(plan=plan_value, partner=partner, prepared_by=prepared_by)
        await self.open_return(
            plan, partner, period or default_period(plan, today=self.options.today), prepared_by
        )

    async def open_return(self, plan: Plan, partner: str, period: Period, prepared_by: str) -> None:
        """Open a return: offer the draft if there is one, else carry forward or start blank."""
        self.flush()
        target = SaveTarget(DraftStore(), self.out_dir)
        start = await asyncio.to_thread(find_start, plan, partner, period, target)
        origin = start.fresh()
        if start.draft is not None:
            from dapreturn.tui.partner.screens.resume import ResumeChoice, ResumeScreen

            answer = await self.push_screen_wait(ResumeScreen(start))
            if answer is ResumeChoice.QUIT:
                self.exit()
                return
            if answer is ResumeChoice.RESUME and start.draft_return is not None:
                origin = Origin.DRAFT
        begun = begin(
            start, origin, prepared_by=prepared_by, target=target, today=self.options.today
        )
        session = begun.session
        self.session = session
        self.autosaver = Autosaver(self, session)
        screen = MainScreen(session, self.autosaver, display_path(target.out_dir))
        if isinstance(self.screen, MainScreen):
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)
        self._mention_other_drafts(session)

    def _mention_other_drafts(self, session: FillSession) -> None:
        """Tell the lead about unsigned drafts of other periods (so none is forgotten)."""
        others = [
            str(Period.parse(k.period_slug))
            for k, _ in session.target.store.all_drafts()
            if k.plan == session.plan.id
            and k.partner == session.partner
            and k.period_slug != session.period.slug
        ]
        if others:
            self.notify(
                f"You also have drafts for: {', '.join(sorted(others))}. Switch period with F5.",
                timeout=8,
            )

    def flush(self) -> bool:
        """Save any unsaved change now; False (and a warning) if the save failed."""
        if self.autosaver is None:
            return True
        state = self.autosaver.flush()
        if state is not None and not state.ok:
            self.notify(
                state.detail, title="Draft not saved", severity="error", timeout=10, markup=False
            )
            return False
        return True

    @on(Autosaver.Saved)
    def _autosaved(self, message: Autosaver.Saved) -> None:
        """Pass a finished save (from the worker thread) to whoever shows it."""
        if self.autosaver is not None:
            self.autosaver.state.publish(message.state)

    @on(MainScreen.SwitchPeriod)
    async def _switch_period(self, message: MainScreen.SwitchPeriod) -> None:
        if self.session is not None:
            self._reopen(message.period)

    @work(exclusive=True, group="start")
    async def _reopen(self, period: Period) -> None:
        session = self.session
        assert session is not None
        await self.open_return(session.plan, session.partner, period, session.ret.prepared_by)

    @on(MainScreen.Signed)
    def _signed(self, message: MainScreen.Signed) -> None:
        """Remember the folder (signing set the draft aside: the signed file is the record)."""
        session = self.session
        if session is None:
            return
        self.remember(out_dir=str(session.target.out_dir))

    def action_help(self) -> None:
        """Show every key."""
        from dapreturn.tui.partner.screens.help import HelpScreen, rows
        from dapreturn.tui.partner.screens.kpis import KpiScreen
        from dapreturn.tui.partner.screens.review import ReviewScreen

        if isinstance(self.screen, HelpScreen):
            return
        statuses = (
            "  ".join(f"{s.marker} {s.label}" for s in self.session.plan.statuses)
            if self.session
            else ""
        )
        sections = [
            ("Filling in actions", rows(MainScreen.BINDINGS)),
            ("KPI figures", rows(KpiScreen.BINDINGS)),
            ("Review and sign", rows(ReviewScreen.BINDINGS)),
            ("The whole app", rows(self.BINDINGS)),
        ]
        self.push_screen(HelpScreen(sections, statuses))

    def action_toggle_contrast(self) -> None:
        """Switch between the default and the high-contrast theme (remembered)."""
        high = self.theme != HIGH_CONTRAST_THEME
        self.theme = CONFIG_NAMES["high-contrast" if high else "default"]
        self.remember(theme="high-contrast" if high else "default")
        self.notify(f"High contrast {'on' if high else 'off'}.", timeout=3)

    def action_setup(self) -> None:
        """Answer the first-run questions again."""
        self.start(ask=True)

    async def action_quit(self) -> None:
        """Save the draft, then quit (asks again if the save failed)."""
        if self.flush() or self._quit_anyway:
            self.exit()
            return
        self._quit_anyway = True
        self.notify("Press Ctrl+Q again to quit without saving.", severity="warning", timeout=10)


__all__ = ["LaunchOptions", "PartnerApp"]
