"""JSON Lines (``"jsonl"``): one JSON object per line, blank lines ignored.

Field names are those of ``records.from_generic``. A line that is not valid JSON, or
not an object, is skipped into the report with its line number; it never stops the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .records import RawRecord, from_generic, json_record
from .textio import iter_text_lines

__all__ = ["LENIENT_DECODER", "read_json_lines"]

#: Accepts raw tabs and other control characters inside strings (common in exports).
LENIENT_DECODER = json.JSONDecoder(strict=False)


def read_json_lines(
    path: Path,
    name: str,
    convert: Callable[[Mapping[str, Any]], Mapping[str, Any]] = from_generic,
) -> Iterator[RawRecord]:
    """Yield one ``RawRecord`` per non-blank line of ``path``; ``convert`` maps an object to canonical fields."""
    for lineno, text in iter_text_lines(path, name):
        if not text.strip():
            continue
        try:
            obj = LENIENT_DECODER.decode(text)
        except json.JSONDecodeError as exc:
            yield RawRecord(lineno, None, f"bad JSON on line {lineno}: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield RawRecord(lineno, None, f"bad JSON on line {lineno}: nested too deeply")
            continue
        yield json_record(lineno, obj, convert)
