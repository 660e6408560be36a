"""A JSON document (``"json"``): an array of paper objects, or an object with a ``"papers"`` array.

The file is parsed incrementally — ``json.JSONDecoder.raw_decode`` over a buffer refilled
in 64 KiB chunks — so memory holds one record at a time, not the file. An element that
is not an object is skipped into the report; a document that is not valid JSON (for
example a truncated export) raises ``InputError`` naming the line, when the reader
reaches it: papers before that point have already been yielded.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from .json_lines import LENIENT_DECODER
from .records import RawRecord, from_generic, json_record
from .textio import open_input

__all__ = ["read_json_array"]

_CHUNK = 1 << 16
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_HINT = 'expected one JSON array of paper objects or {"papers": [...]}; for one object per line use --format jsonl'
# A decode error this far before the end of the buffer cannot be cured by reading more.
_MARGIN = 16


class _Stream:
    """A text buffer over a binary file that knows the line number of every position."""

    def __init__(self, fh: BinaryIO, name: str) -> None:
        self.fh, self.name = fh, name
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf, self.pos, self.eof = "", 0, False
        self.buf_line = 1  # line number of buf[0]
        self._mark_pos, self._mark_line = 0, 1  # line-count cache

    def line_at(self, pos: int) -> int:
        if pos < self._mark_pos:
            return self.buf_line + self.buf.count("\n", 0, pos)
        self._mark_line += self.buf.count("\n", self._mark_pos, pos)
        self._mark_pos = pos
        return self._mark_line

    def fill(self) -> None:
        """Drop the consumed text and append the next chunk (sets ``eof`` at the end)."""
        data = self.fh.read(_CHUNK)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            line = self.line_at(len(self.buf)) + data[: max(exc.start, 0)].count(b"\n")
            raise InputError(f"{self.name}:{line}: not valid UTF-8; re-save the file as UTF-8") from None
        self.eof = not data
        if self.pos:
            self.buf_line = self.line_at(self.pos)
            self.buf, self.pos = self.buf[self.pos :], 0
            self._mark_pos, self._mark_line = 0, self.buf_line
        self.buf += text

    def peek(self) -> str:
        """Skip whitespace and return the next character, or ``""`` at the end of the file."""
        while True:
            match = _WHITESPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self.fill()

    def value(self) -> tuple[Any, int]:
        """Decode the JSON value at the next non-blank position; return it and its start position."""
        self.peek()
        while True:
            try:
                obj, end = LENIENT_DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                truncated = exc.pos >= len(self.buf) - _MARGIN or exc.msg.startswith("Unterminated")
                if truncated and not self.eof:
                    self.fill()
                    continue
                line = self.buf_line + exc.lineno - 1
                raise self.error(f"invalid JSON ({exc.msg} at column {exc.colno})", line) from None
            except RecursionError:
                raise self.error("JSON nested too deeply", self.line_at(self.pos)) from None
            if end == len(self.buf) and not self.eof:
                self.fill()  # a number or literal may continue in the next chunk
                continue
            start, self.pos = self.pos, end
            return obj, start

    def error(self, what: str, line: int | None = None) -> InputError:
        line = self.line_at(self.pos) if line is None else line
        return InputError(f"{self.name}:{line}: {what}; {_HINT}")

    def expect(self, allowed: str, context: str) -> str:
        char = self.peek()
        if char == "":
            raise self.error(f"the file ends inside {context} (is it truncated?)")
        if char not in allowed:
            wanted = " or ".join(repr(c) for c in allowed)
            raise self.error(f"expected {wanted} in {context}, got {char!r}")
        self.pos += 1
        return char


def _array(stream: _Stream) -> Iterator[RawRecord]:
    stream.expect("[", "the JSON array")
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        if stream.peek() == "":
            raise stream.error("the file ends inside the JSON array (is it truncated?)")
        obj, start = stream.value()
        yield json_record(stream.line_at(start), obj, from_generic)
        if stream.expect(",]", "the JSON array") == "]":
            return


def _wrapper(stream: _Stream) -> Iterator[RawRecord]:
    stream.expect("{", "the JSON object")
    found = False
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if stream.peek() != '"':
                stream.expect('"', "the JSON object")
            key, _ = stream.value()
            stream.expect(":", "the JSON object")
            if key == "papers" and stream.peek() == "[":
                found = True
                yield from _array(stream)
            else:
                stream.value()
            if stream.expect(",}", "the JSON object") == "}":
                break
    if not found:
        raise InputError(f'{stream.name}: the JSON object has no "papers" array; {_HINT}')


def read_json_array(path: Path, name: str) -> Iterator[RawRecord]:
    """Yield one ``RawRecord`` per element of the paper array in ``path``, parsing incrementally.

    Raises
    ------
    InputError
        The document is not valid JSON, is truncated, is not an array or ``{"papers": [...]}``,
        or has data after the top-level value.
    """
    with open_input(path, name) as fh:
        stream = _Stream(fh, name)
        first = stream.peek()
        if first == "":
            raise InputError(f"{name}: the file is empty; {_HINT}")
        yield from (_wrapper(stream) if first == "{" else _array(stream))
        if stream.peek() != "":
            raise stream.error("extra data after the end of the JSON document")
