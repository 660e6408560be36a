"""CSV (``"csv"``): a header row naming the columns, then one paper per row.

Column names are matched case-insensitively against those of ``records.from_generic``
(``title``, ``abstract`` or ``summary``, optional ``id``, ``year``, ``date``, ``authors``,
``url``, ``categories``); other columns are ignored. The delimiter is a comma, or a tab
when the header has tabs and no commas. Quoted cells may span lines; a record's line is
the physical line where its row starts. Blank lines are ignored.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .records import RawRecord, from_generic, is_empty_record
from .textio import iter_text_lines

__all__ = ["read_csv"]


def read_csv(path: Path, name: str) -> Iterator[RawRecord]:
    """Yield one ``RawRecord`` per data row of the CSV file ``path``.

    Raises
    ------
    InputError
        The header lacks a ``title`` or ``abstract``/``summary`` column, or the CSV
        cannot be parsed (the message names the line).
    """
    lines = (text for _, text in iter_text_lines(path, name))
    first = next(lines, "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            return
        columns = [cell.strip().casefold() for cell in header]
        if "title" not in columns or not {"abstract", "summary"} & set(columns):
            raise InputError(
                f"{name}:{reader.line_num}: the CSV header has columns {header!r}; it needs 'title' and "
                "'abstract' (or 'summary'), optionally 'id', 'year', 'date', 'authors', 'url', 'categories'"
            )
        previous = reader.line_num
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if len(row) <= 1 and not "".join(row).strip():
                continue
            cells: dict[str, str] = {}
            for column, cell in zip(columns, row):
                if column:
                    cells.setdefault(column, cell)
            if is_empty_record(cells):
                yield RawRecord(start, None, "empty record")
            else:
                yield RawRecord(start, from_generic(cells))
    except csv.Error as exc:
        raise InputError(f"{name}:{reader.line_num}: malformed CSV ({exc}); fix the quoting on that line") from None
