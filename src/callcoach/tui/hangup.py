"""When the terminal goes away, leave as Ctrl+Q does, drop the output, and never linger.

A closed window, a dropped SSH session or a killed tmux session reaches the app three ways:
a SIGHUP, the input stream ending (EOF) or failing (EIO), and writes failing. Textual 8.2.8's
``LinuxDriver`` handles none of them well: its input thread panics on EIO and spins on EOF;
its output thread dies on the first failed write, after which its bounded queue fills and
the next write (often the shutdown's own "leave the alternate screen") waits for ever; and
the SIGCONT the kernel sends right after the SIGHUP makes it re-enter application mode on
the dead terminal with a second output thread. A process found that way held the ledger and
its call open for good (issue 21).

``HangUpDriver`` fixes the driver's side: a failed write or read marks the terminal gone,
points the standard streams at the null device (so nothing written afterwards, by Textual,
``print`` or the interpreter's exit, can fail or wait), and tells the app with
``TerminalGone``. The app saves what is open and exits; ``arm_watchdog`` then bounds that
exit, once the data is safe, whatever Textual's output thread is doing.
"""

from __future__ import annotations

import contextlib
import os
import queue
import selectors
import threading
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, cast

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

# Seconds between the data being safe and the process ending, whatever else is going on:
# with the save before it, well inside the two seconds a closed terminal is given.
WATCHDOG_SECONDS = 1.5


class TerminalGone(Message):
    """The terminal is closed, or its input has ended: save and leave (posted from any thread)."""


def arm_watchdog(seconds: float = WATCHDOG_SECONDS) -> threading.Timer:
    """End the process ``seconds`` from now if the ordinary exit has not done it by then.

    Only ever armed once the notes are in the ledger: ``os._exit`` skips the rest of the
    shutdown (the terminal's restoration among it), which no longer matters by then."""
    timer = threading.Timer(seconds, os._exit, args=(0,))
    timer.daemon = True
    timer.name = "callcoach-exit-watchdog"
    timer.start()
    return timer


def point_streams_at_null() -> None:
    """Standard input, output and error lead to the null device from now on: reads end at
    once, writes succeed and go nowhere, so no thread can fail or block on the dead terminal."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
        if null > 2:
            os.close(null)


class DroppingOutput:
    """The terminal's output file as Textual's output thread sees it: a failing write marks
    the terminal gone, and from then on every write is dropped without touching it."""

    def __init__(self, file: IO[str], lost: Callable[[], None]) -> None:
        self._file = file
        self._lost = lost
        self.gone = False

    def write(self, text: str) -> None:
        if self.gone:
            return
        try:
            self._file.write(text)
        except (OSError, ValueError):
            self._lost()

    def flush(self) -> None:
        if self.gone:
            return
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._lost()

    def fileno(self) -> int:
        return self._file.fileno()


class HangUpDriver(LinuxDriver):
    """Textual's Linux driver, told what to do when its terminal is closed under it."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._output = DroppingOutput(cast(IO[str], self._file), self.terminal_lost)
        self._file = self._output  # type: ignore[assignment]
        # Re-entrant: the SIGCONT handler can interrupt the main thread anywhere, this included.
        self._lost_lock = threading.RLock()

    def terminal_lost(self) -> None:
        """The terminal is gone (hung up, a write failed): drop all output from now on and ask
        the app to leave. Callable from any thread, and from a signal handler."""
        with self._lost_lock:
            if self._output.gone:
                return
            self._output.gone = True
        point_streams_at_null()
        self._ask_to_leave()

    def input_ended(self) -> None:
        """The input stream ended (EOF) or failed (EIO): the app leaves. Its output goes too if
        the terminal itself is gone; if not, the shutdown still restores the screen."""
        if self._terminal_alive():
            self._ask_to_leave()
        else:
            self.terminal_lost()

    def _terminal_alive(self) -> bool:
        """A hung-up terminal answers no terminal request (EIO): isatty says False."""
        try:
            return os.isatty(self._output.fileno())
        except (OSError, ValueError):
            return False

    def _ask_to_leave(self) -> None:
        # Through the loop's thread-safe door: this may run in a signal handler that has
        # interrupted the main thread in the middle of the app's own message queue.
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nothing to tell
            self._loop.call_soon_threadsafe(self._app.post_message, TerminalGone())

    def write(self, data: str) -> None:
        """Dropped once the terminal is gone, rather than queued for an output thread that may
        never take it: a full queue is what held lingering processes."""
        if not self._output.gone:
            super().write(data)

    def _sigcont_application(self, *args: Any) -> None:
        """After a hang-up the kernel sends SIGCONT too: resuming application mode then would
        start a second output thread on a terminal that is no more."""
        if self._output.gone or not self._terminal_alive():
            self.terminal_lost()
            return
        super()._sigcont_application(*args)

    def close(self) -> None:
        """Stop the output thread, without waiting on it once the terminal is gone."""
        writer = self._writer_thread
        if writer is None or not self._output.gone:
            super().close()
            return
        with contextlib.suppress(queue.Full):
            writer._queue.put_nowait(None)
        writer.join(timeout=0.2)

    def run_input_thread(self) -> None:
        """Textual's input loop (8.2.8), except that the stream ending (EOF) or failing (EIO,
        once the terminal is closed) is a hang-up, not a panic or a loop spinning on EOF."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> bool:
            """Feed what is ready to the parser; False once the stream has ended."""
            for _key, mask in ready:
                if mask & selectors.EVENT_READ:
                    data = os.read(self.fileno, 1024 * 4)
                    if not data:
                        return False
                    for event in parser.feed(decode(data, final=final)):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)
            return True

        try:
            while not self.exit_event.is_set():
                if not process(selector.select(0.1)):
                    self.input_ended()
                    return
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        except OSError:
            self.input_ended()
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass
