"""The command palette (Ctrl+P) of the main screen: jump to an action and every other move.

Commands call the main screen's own actions, so the palette, the keys and the list all do the
same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from dapreturn.tui.partner.screens.main import MainScreen


class MainCommands(Provider):
    """Go to an action, switch period, KPIs, review and sign, drafts folder, contrast, help."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        """(name, callback, help) for the screen the palette was opened on."""
        from dapreturn.tui.partner.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        main: MainScreen = screen
        found: list[tuple[str, Callable[[], Any], str]] = [
            ("Review and sign", main.action_review, "Check every problem, then sign the return"),
            ("KPI figures", main.action_kpis, "Enter this period's KPI figures"),
            ("Switch period", main.action_switch_period, "Report on another quarter"),
            (
                "Add an action you contribute to",
                main.action_add_action,
                "Report on an action another partner leads",
            ),
            ("Open drafts folder", main.action_open_drafts, "Show where your drafts are saved"),
            ("Save the draft now", main.action_save_now, "Drafts also save as you type"),
            (
                "Toggle high contrast",
                partial(self.app.run_action, "toggle_contrast"),
                "Switch between the default and the high-contrast look",
            ),
            ("Help: keys and markers", partial(self.app.run_action, "help"), "Every key"),
            (
                "Change organisation or preparer",
                partial(self.app.run_action, "setup"),
                "Go back to the first-run questions",
            ),
        ]
        for entry in main.session.entries():
            action = main.session.action(entry.ref)
            title = action.title if action else ""
            found.append(
                (
                    f"Go to action {entry.ref}: {title}",
                    partial(main.jump_to, entry.ref, "status"),
                    f"Edit your report on {entry.ref}",
                )
            )
        return found

    async def discover(self) -> Hits:
        """Everything, before the lead types."""
        for name, callback, text in self._commands():
            yield DiscoveryHit(name, callback, help=text)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the names."""
        matcher = self.matcher(query)
        for name, callback, text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=text)
