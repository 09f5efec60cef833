"""The desk's own panels and footer: the keys panel (F1), Esc, and which keys the footer shows."""

from __future__ import annotations

from callcoach.tui.keys import fit_footer
from callcoach.tui.widgets.call_list import CallList

# The keys that act on the debtor shown: with none (an empty ledger, a filter that keeps
# nobody) they would only say so, so they leave the footer and the palette until one is shown.
NEED_A_DEBTOR = frozenset({"start_call", "stage", "history", "payment", "add_contact", "plan", "pick_excuse"})


class PanelKeys:
    """A mixin of DeskScreen: the footer follows the call and the width; Esc closes what is open."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the debtor's keys while no debtor is shown (Textual asks before showing a key)."""
        nobody = getattr(self, "view", None) is None and getattr(self, "current", None) is None
        return not (action in NEED_A_DEBTOR and nobody)

    def fit_footer(self) -> None:
        """The keys of the moment in the footer, fewer on a narrow desk (F1 lists them all)."""
        fit_footer(self, in_call=self.current is not None, wide=self.has_class("-wide"))
        self.refresh_bindings()

    def action_close_panel(self) -> None:
        """Esc closes what is open over the desk: the keys panel, a maximized pane, the filter."""
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        elif self.maximized is not None:
            self.minimize()
        else:
            self.query_one(CallList).action_clear_filter()

    def action_toggle_keys(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()
