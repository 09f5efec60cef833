"""The guided script pane: what to say at this stage, with coaching and the chosen excuse."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from callcoach.playbook import Labels
from callcoach.services.script import Excuse, Script, StageText
from callcoach.tui.typeset import hanging, readable


class ScriptPane(VerticalScroll):
    """Each line wrapped under its own text (after "» ", "• ", "→ "), with no-break spaces
    where the language wants them; drawn again when the pane changes width."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = "en"
        self._shown: tuple[StageText, dict[str, object]] | None = None
        self._width = 0
        self._title: tuple[Script, int, Labels, tuple[int, int]] | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="stage-text", markup=False)

    def on_resize(self) -> None:
        if self._title is not None:
            self.show_title(*self._title)
        if self._shown is not None and self._text_width() != self._width:
            stage, options = self._shown
            self.show_stage(stage, **options)  # type: ignore[arg-type]

    def _text_width(self) -> int:
        return max(0, self.scrollable_content_region.width - 1)

    def _line(self, *parts: str | tuple[str, str]) -> Content:
        """One paragraph: its first part is the label the wrapped lines are indented under."""
        first = parts[0]
        indent = len(first if isinstance(first, str) else first[0])
        fixed = [
            p if i == 0 else (readable(p, self.lang) if isinstance(p, str) else (readable(p[0], self.lang), p[1]))
            for i, p in enumerate(parts)
        ]
        content = Content.assemble(*fixed)
        return hanging(content, self._width, indent) if self._width else content

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
        self._shown = (
            stage,
            {"questions": questions, "excuse": excuse, "empty": empty, "qr": qr, "qr_caption": qr_caption},
        )
        self._width = self._text_width()
        parts: list[Content | str | tuple[str, str]] = []
        if empty:
            parts.append((empty, "dim"))
        for line in stage.say:
            parts += [self._line(("» ", "bold $accent"), (line, "bold")), "\n"]
        if excuse is not None:  # an excuse can come at any stage: its answer stays in sight
            parts += ["\n"] if parts else []  # a branch's words open the pane when nothing is said before
            parts += [self._line("", (excuse.label, "bold $warning")), "\n"]
            parts += [self._line(("→ ", "$warning"), excuse.answer), "\n"]
            for field in excuse.capture:
                parts += [self._line(("  ✎ ", "$accent"), field), "\n"]
        if questions is not None:
            title, items = questions
            parts += ["\n", (title, "bold underline"), "\n"]
            for n, item in enumerate(items, 1):
                parts += [self._line((f" {n}. ", "$accent"), item), "\n"]
        if qr_caption:
            parts += ["\n", self._line("", (qr_caption, "bold" if qr else "dim")), "\n"]
        for line in qr or []:
            parts += [(line, "#000000 on #ffffff"), "\n"]
        if stage.coach:
            parts.append("\n")
        for tip in stage.coach:
            parts += [self._line(("• ", "$secondary"), (tip, "italic $text-muted")), "\n"]
        self.query_one("#stage-text", Static).update(Content.assemble(*parts))
        self.scroll_home(animate=False)

    def show_title(self, script: Script, stage: int, L: Labels, ready: tuple[int, int]) -> None:
        """The stages with the current one in brackets; how much of the checklist is at hand.
        When they do not all fit the border, the current stage alone: it is what matters."""
        self._title = (script, stage, L, ready)
        stages = " › ".join(
            f"[{script.title(k)}]" if i == stage else script.title(k) for i, k in enumerate(script.stages)
        )
        heading = {"title": L["script_title"], "n": stage + 1, "total": len(script.stages)}
        title = L.get("script_heading", **heading, stages=stages)
        if self.size.width and len(title) > self.size.width - 4:
            title = L.get("script_heading", **heading, stages=f"[{script.title(script.stages[stage])}]")
        self.border_title = Content(title)
        self.border_subtitle = Content(L.get("checklist_ready", ready=ready[0], total=ready[1]))
