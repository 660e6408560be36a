"""Telling an input file's format from its extension and, when that is not enough, its first bytes."""

from __future__ import annotations

import codecs
import csv
import json
import os
from pathlib import Path

from ..errors import InputError
from .arxiv_snapshot import is_snapshot_record
from .textio import open_input

__all__ = ["FORMATS", "detect_format", "format_help"]

#: The input formats ``read_papers`` understands.
FORMATS: tuple[str, ...] = ("hf-daily", "jsonl", "json", "csv", "arxiv-atom", "arxiv-snapshot")

_BY_EXTENSION = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xml": "arxiv-atom",
    ".atom": "arxiv-atom",
    ".txt": "hf-daily",
    ".md": "hf-daily",
}
_HEAD_BYTES = 1 << 13
_LINE_LIMIT = 1 << 20
_HF_MARKERS = ("daily papers", "get trending papers", "byak and the research community")


def format_help() -> str:
    """Return the sentence that tells the user how to choose a format."""
    return f"pass --format (format= in Python) with one of: {', '.join(FORMATS)}"


def _first_line(path: Path, name: str) -> str | None:
    """Return the first non-blank line (None if there is none or it is longer than 1 MiB)."""
    with open_input(path, name) as fh:
        while line := fh.readline(_LINE_LIMIT):
            if len(line) == _LINE_LIMIT and not line.endswith(b"\n"):
                return None
            text = line.decode("utf-8-sig", errors="replace").strip()
            if text:
                return text
    return None


def _sniff_json_line(line: str | None) -> str | None:
    """Classify a first line that is a complete JSON value."""
    try:
        obj = json.loads(line) if line else None
    except (json.JSONDecodeError, RecursionError):
        return None
    if isinstance(obj, list):
        return "json"
    if not isinstance(obj, dict):
        return None
    if is_snapshot_record(obj):
        return "arxiv-snapshot"
    return "json" if isinstance(obj.get("papers"), list) else "jsonl"


def _undetectable(name: str, ext: str, what: str) -> InputError:
    return InputError(f"{name}: cannot tell the input format (extension {ext or 'none'!r}, {what}); {format_help()}")


def _sniff_content(path: Path, name: str, ext: str) -> str:
    with open_input(path, name) as fh:
        head = fh.read(_HEAD_BYTES)
    if b"\x00" in head:
        raise _undetectable(name, ext, "binary content")
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise _undetectable(name, ext, "content that is not UTF-8 text") from None
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if "http://www.w3.org/2005/Atom" in stripped:
            return "arxiv-atom"
        raise _undetectable(name, ext, "XML that is not an Atom feed")
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return _sniff_json_line(_first_line(path, name)) or "json"
    first = stripped.split("\n", 1)[0]
    columns = {cell.strip().casefold() for row in csv.reader([first]) for cell in row}
    if "title" in columns and columns & {"abstract", "summary"}:
        return "csv"
    if any(marker in text.casefold() for marker in _HF_MARKERS):
        return "hf-daily"
    raise _undetectable(name, ext, "text that is none of the formats")


def detect_format(path: str | os.PathLike[str]) -> str:
    """Return the format of the input file ``path`` (one of ``FORMATS``).

    The extension decides (``.jsonl``/``.ndjson``, ``.json``, ``.csv``/``.tsv``,
    ``.xml``/``.atom``, ``.txt``/``.md``); JSON files are then told apart by their first
    line (an arXiv snapshot line, one object per line, or a document). Other extensions
    are sniffed from the first bytes.

    Raises
    ------
    InputError
        The file is missing or unreadable, or its format cannot be told (the message
        lists the valid formats and the ``--format`` option).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "papers.jsonl")
    ...     line = '{"id": "2101.00001", "abstract": "...", "categories": "cs.LG", "update_date": "2021-01-05"}'
    ...     _ = path.write_text(line + "\\n")
    ...     detect_format(path)
    'arxiv-snapshot'
    """
    name = os.fspath(path)
    path = Path(path)
    ext = path.suffix.lower()
    if not path.is_file():
        open_input(path, name).close()  # raises the right InputError
    if ext in (".jsonl", ".ndjson"):
        return "arxiv-snapshot" if _sniff_json_line(_first_line(path, name)) == "arxiv-snapshot" else "jsonl"
    if ext == ".json":
        return _sniff_json_line(_first_line(path, name)) or "json"
    if ext in _BY_EXTENSION:
        return _BY_EXTENSION[ext]
    return _sniff_content(path, name, ext)
