"""Line-by-line questions for the plain mode: one prompt, one answer, no screen drawing.

Everything a partner lead sees in ``dapreturn fill --plain`` goes through :class:`Console`:
short sentences, and every prompt says what to type with the default in brackets. There is no
colour, no cursor movement and no box drawing, so a screen reader reads it in order, and a basic
terminal (or a script feeding answers on standard input) works as well as a full one.

Conventions every question follows:

- pressing Enter alone keeps the value in brackets;
- ``-`` clears an optional value;
- a bad answer is refused with the reason, and the question is asked again;
- end of input (Ctrl+D; Ctrl+Z then Enter on Windows; the end of a piped file) raises
  :class:`InputEnded`, so the caller can save the draft and stop.

When standard input is not a terminal, each answer is written after its prompt, so the output
reads as a transcript (passphrases are shown as ``(hidden)``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from typing import TextIO, TypeVar

from dapreturn.core.errors import DapreturnError

T = TypeVar("T")

CLEAR = "-"
"""The answer that clears an optional value."""
END_TEXT = "."
"""A line holding only this ends a multi-line answer."""
TEXT_HINT = 'Type lines, then a line with only "." to finish'
"""What to type for several lines of text."""
DATE_HINT = "Type a date such as 31/03/2019"
"""What to type for a date (UK day-first order, or 2019-03-31, or 31 Mar 2019)."""


class InputEnded(Exception):  # noqa: N818 - an event, not an error
    """Standard input ended while a question was waiting for its answer."""


def _is_tty(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal (a closed or odd stream is not)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except ValueError:  # closed stream
        return False


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (or its own ``.``, ``?`` or ``!``)."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


class Console:
    """Questions and answers over two text streams, one line at a time."""

    def __init__(self, stdin: TextIO, stdout: TextIO, *, width: int = 78) -> None:
        """Read answers from ``stdin``, write to ``stdout``, wrapping sentences at ``width``."""
        self.stdin = stdin
        self.stdout = stdout
        self.width = width
        self.interactive = _is_tty(stdin)
        """Whether answers are typed at a terminal (else they are echoed into the output)."""
        self._ended = False

    # -- output ---------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        """Write ``text`` wrapped at the width, keeping its own line breaks; "" writes a blank."""
        for line in text.split("\n"):
            wrapped = textwrap.fill(
                line, self.width, break_long_words=False, break_on_hyphens=False
            )
            self.stdout.write(wrapped + "\n")
        self.stdout.flush()

    def quote(self, text: str, *, indent: str = "  ") -> None:
        """Write ``text`` line by line as it is (indented), e.g. text typed earlier."""
        for line in text.splitlines() or [""]:
            self.stdout.write(f"{indent}{line}".rstrip() + "\n")
        self.stdout.flush()

    def items(self, lines: Iterable[str]) -> None:
        """Write a list, one item a line, each indented by two spaces."""
        for line in lines:
            self.stdout.write(f"  {line}\n")
        self.stdout.flush()

    def refuse(self, reason: str) -> None:
        """Say why an answer was not accepted."""
        self.say(f"Not accepted: {_sentence(reason)} Please try again.")

    # -- input ----------------------------------------------------------------------------

    def read(self, prompt: str, *, secret: bool = False) -> str:
        """Write ``prompt``, read one line and return it without its line ending.

        Raises :class:`InputEnded` at end of input. Outside a terminal the answer is echoed
        (``secret`` answers as ``(hidden)``) so the output keeps one answer per line.
        """
        if self._ended:
            raise InputEnded
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self._ended = True
            self.stdout.write("\n")
            self.stdout.flush()
            raise InputEnded
        answer = line.rstrip("\r\n")
        if not self.interactive:
            self.stdout.write(("(hidden)" if secret else answer) + "\n")
            self.stdout.flush()
        return answer

    def ask(self, question: str, hint: str, default: str) -> str:
        """Ask ``<question> <hint> [<default>]: `` and return the answer, trimmed."""
        return self.read(f"{_sentence(question)} {hint} [{default}]: ").strip()

    def ask_valid(self, question: str, hint: str, default: str, parse: Callable[[str], T]) -> T:
        """Ask until ``parse`` accepts the answer; each refusal says why (its error message)."""
        while True:
            answer = self.ask(question, hint, default)
            try:
                return parse(answer)
            except (ValueError, DapreturnError) as exc:
                self.refuse(str(exc))

    def ask_yes_no(self, question: str, *, default: bool) -> bool:
        """A yes/no question; Enter gives ``default``."""

        def parse(answer: str) -> bool:
            word = answer.casefold()
            if not word:
                return default
            if word in ("y", "yes"):
                return True
            if word in ("n", "no"):
                return False
            raise ValueError(f"{answer!r} is not y or n")

        return self.ask_valid(question, "Type y or n", "Y/n" if default else "y/N", parse)

    def ask_line(self, question: str, current: str, *, what: str = "Type one line") -> str:
        """One line of text; Enter keeps ``current``, ``-`` clears it."""
        hint = f"{what}, or - to clear it" if current else what
        answer = self.ask(question, hint, current or "none")
        if not answer:
            return current
        return "" if answer == CLEAR else answer

    def ask_text(self, question: str, current: str, *, hint: str = TEXT_HINT) -> str:
        """Several lines of text, ended by a line holding only a full stop.

        Enter on the first line keeps ``current``; ``-`` clears it. If input ends in the middle,
        the lines typed so far are returned and the next question raises :class:`InputEnded`.
        """
        default = "keep the text above" if current else "empty"
        first = self.read(f"{_sentence(question)} {hint} [{default}]: ")
        if first.strip() in ("", END_TEXT):
            return current
        if first.strip() == CLEAR:
            return ""
        lines = [first]
        while True:
            try:
                line = self.read("")
            except InputEnded:
                break
            if line.strip() == END_TEXT:
                break
            lines.append(line)
        return "\n".join(lines).rstrip()
