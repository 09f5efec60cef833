"""The guided script pane: what to say at this stage, with coaching and the chosen excuse."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from callcoach.playbook import Labels
from callcoach.services.script import Excuse, Script, StageText


class ScriptPane(VerticalScroll):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="stage-text", markup=False)

    def show_stage(
        self,
        stage: StageText,
        *,
        questions: tuple[str, list[str]] | None,
        excuse: Excuse | None,
        empty: str = "",
        qr: list[str] | None = None,
        qr_caption: str = "",
    ) -> None:
        parts: list[Content | str | tuple[str, str]] = []
        if empty:
            parts.append((empty, "dim"))
        for line in stage.say:
            parts += [("» ", "bold $accent"), (line, "bold"), "\n"]
        if excuse is not None:  # an excuse can come at any stage: its answer stays in sight
            parts += ["\n", (excuse.label, "bold $warning"), "\n", ("→ ", "$warning"), excuse.answer, "\n"]
            for field in excuse.capture:
                parts += [("  ✎ ", "$accent"), field, "\n"]
        if questions is not None:
            title, items = questions
            parts += ["\n", (title, "bold underline"), "\n"]
            for n, item in enumerate(items, 1):
                parts += [(f" {n}. ", "$accent"), item, "\n"]
        if qr_caption:
            parts += ["\n", (qr_caption, "bold" if qr else "dim"), "\n"]
        for line in qr or []:
            parts += [(line, "#000000 on #ffffff"), "\n"]
        if stage.coach:
            parts.append("\n")
        for tip in stage.coach:
            parts += [("• ", "$secondary"), (tip, "italic $text-muted"), "\n"]
        self.query_one("#stage-text", Static).update(Content.assemble(*parts))
        self.scroll_home(animate=False)

    def show_title(self, script: Script, stage: int, L: Labels, ready: tuple[int, int]) -> None:
        """The stages with the current one in brackets; how much of the checklist is at hand."""
        stages = " › ".join(
            f"[{script.title(k)}]" if i == stage else script.title(k) for i, k in enumerate(script.stages)
        )
        self.border_title = Content(f"{L['script_title']} {stage + 1}/{len(script.stages)}: {stages}")
        self.border_subtitle = Content(L.get("checklist_ready", ready=ready[0], total=ready[1]))
