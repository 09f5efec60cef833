"""Start the app on a desk the CLI built (imports textual only when the desk is opened).

The TUI never sees an engine: it is handed the Desk service, through which every read and
write goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from callcoach.services.desk import Desk


def launch(desk: Desk, *, demo: bool = False) -> None:
    from callcoach.tui.app import CallCoachApp

    app = CallCoachApp(desk, demo=demo)
    app.run()
