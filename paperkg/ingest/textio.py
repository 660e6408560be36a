"""Opening input files and reading them as UTF-8 lines, with errors that name the file and line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

__all__ = ["open_input", "iter_text_lines"]


def open_input(path: Path, name: str) -> BinaryIO:
    """Open ``path`` for binary reading; ``name`` is how messages call the file.

    Raises
    ------
    InputError
        The file is missing, is a directory or cannot be read.
    """
    if not path.exists():
        raise InputError(f"{name}: no such file; check the path (relative paths start at {Path.cwd()})")
    if path.is_dir():
        raise InputError(f"{name}: is a directory; pass the input files inside it instead")
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot open the file ({exc.strerror}); check its permissions") from None


def iter_text_lines(path: Path, name: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for each line of a UTF-8 file, line endings kept.

    A byte-order mark at the start is dropped. Lines are split on ``\\n`` only.

    Raises
    ------
    InputError
        The file cannot be opened, or a line is not valid UTF-8 (the message names the line).
    """
    with open_input(path, name) as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 4]
                raise InputError(
                    f"{name}:{lineno}: not valid UTF-8 (bytes {bad!r} at column {exc.start + 1}); "
                    "re-save the file as UTF-8"
                ) from None
            yield lineno, text
