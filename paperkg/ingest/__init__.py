"""Reading paper records (title + abstract + metadata) from files into ``Paper``s.

``read_papers`` streams one or more files of any of ``FORMATS`` — one module per
format — and yields validated, normalised, deduplicated ``Paper``s. Every input record
either comes out as a paper or lands in a ``SkipReport`` with its ``file:line`` and
reason; a bad record never stops the run, while a file that cannot be read at all
(missing, unknown format, not UTF-8, corrupt JSON document or XML) raises ``InputError``.

Normalisation (``records.normalize_text``): control characters removed, LaTeX ties
between words ("estimation~(NCE)") read as spaces and whitespace runs collapsed in titles
and abstracts; nothing else is rewritten (no HTML unescaping, no case changes — untrusted
text stays text).

Deduplication keeps the first record with a given id, or with a given title key
(``records.title_key``), across all files; later copies are skipped as
"duplicate id" / "duplicate title" even when they carry metadata (url, year, authors,
categories) that the first one lacks — merging records is out of scope. Memory grows
with the number of distinct ids and title digests only, never with the texts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Paper
from .arxiv_atom import read_arxiv_atom
from .arxiv_snapshot import read_arxiv_snapshot
from .csv_table import read_csv
from .detect import FORMATS, detect_format, format_help
from .hf_daily import read_hf_daily
from .json_array import read_json_array
from .json_lines import read_json_lines
from .textio import open_input
from .records import (
    MIN_ABSTRACT_CHARS,
    RawRecord,
    RecordProblem,
    SkipReport,
    normalize_text,
    skip_category,
    title_hash_id,
    title_key,
    to_paper,
)

__all__ = [
    "FORMATS",
    "MIN_ABSTRACT_CHARS",
    "SkipReport",
    "detect_format",
    "normalize_text",
    "read_papers",
    "skip_category",
    "title_hash_id",
    "title_key",
]

Reader = Callable[[Path, str], Iterator[RawRecord]]

_READERS: dict[str, Reader] = {
    "hf-daily": read_hf_daily,
    "jsonl": read_json_lines,
    "json": read_json_array,
    "csv": read_csv,
    "arxiv-atom": read_arxiv_atom,
    "arxiv-snapshot": read_arxiv_snapshot,
}

_LINE_BITS = 40  # a seen-record location is packed into one int: file index, line


def _as_path_list(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str | os.PathLike[str]]:
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    if isinstance(paths, bytes):
        raise InputError(f"input path {paths!r} is bytes; pass a str or pathlib.Path")
    return list(paths)


def read_papers(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    format: str = "auto",
    skips: SkipReport | None = None,
    dedupe: bool = True,
) -> Iterator[Paper]:
    """Stream the papers in ``paths``, in file order then record order.

    Parameters
    ----------
    paths
        One input file, or an iterable of them. Sources are named ``"<path as given>:<line>"``.
    format
        ``"auto"`` (``detect_format`` per file) or one of ``FORMATS`` for every file.
    skips
        Receives one ``Skip`` per record that is not yielded (bad JSON, missing title or
        abstract, abstract shorter than ``MIN_ABSTRACT_CHARS``, duplicate, ...).
    dedupe
        Skip records whose id or title key was already yielded from any of the files.

    Returns
    -------
    Iterator[Paper]
        A lazy iterator: files are read as it is consumed, one record at a time.

    Raises
    ------
    InputError
        At the call: an unknown format name, a missing file, or an undetectable format.
        While iterating: a file that is not UTF-8, or a JSON document or XML feed that is
        corrupt as a whole (papers before the damage have been yielded by then).

    Examples
    --------
    >>> import tempfile
    >>> report = SkipReport()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "papers.jsonl")
    ...     _ = path.write_text(
    ...         '{"id": "p1", "title": "Tiny Experts", "abstract": "We mix tiny experts sparsely.", "year": 2024}\\n'
    ...         '{"id": "p2", "title": "No Abstract"}\\n'
    ...     )
    ...     papers = list(read_papers(path, skips=report))
    >>> [(p.id, p.year, p.source.endswith("papers.jsonl:1")) for p in papers]
    [('p1', 2024, True)]
    >>> report.by_reason()
    {'missing abstract': 1}
    """
    if format != "auto" and format not in _READERS:
        raise InputError(f"unknown input format {format!r}; use 'auto' or {format_help()}")
    jobs = []
    for path in _as_path_list(paths):
        name = os.fspath(path)
        if format == "auto":
            fmt = detect_format(path)
        else:
            open_input(Path(path), name).close()  # a missing file fails now, not while iterating
            fmt = format
        jobs.append((Path(path), name, fmt))
    return _iter_papers(jobs, SkipReport() if skips is None else skips, dedupe)


def _iter_papers(jobs: list[tuple[Path, str, str]], skips: SkipReport, dedupe: bool) -> Iterator[Paper]:
    seen_ids: dict[str, int] = {}
    seen_titles: dict[bytes, int] = {}
    names = [name for _, name, _ in jobs]

    def where(packed: int) -> str:
        return f"{names[packed >> _LINE_BITS]}:{packed & ((1 << _LINE_BITS) - 1)}"

    for index, (path, name, fmt) in enumerate(jobs):
        for record in _READERS[fmt](path, name):
            source = f"{name}:{record.line}"
            if record.fields is None:
                skips.add(source, record.problem or "unusable record", record.record_id)
                continue
            try:
                paper = to_paper(record.fields, source)
            except RecordProblem as problem:
                skips.add(source, problem.reason, problem.record_id)
                continue
            if dedupe:
                key = hashlib.blake2b(title_key(paper.title).encode("utf-8"), digest_size=16).digest()
                derived_id = paper.id == title_hash_id(paper.title)
                if not derived_id and paper.id in seen_ids:
                    skips.add(source, f"duplicate id {paper.id} (first seen at {where(seen_ids[paper.id])})", paper.id)
                    continue
                if key in seen_titles:
                    skips.add(source, f"duplicate title (first seen at {where(seen_titles[key])})", paper.id)
                    continue
                if paper.id in seen_ids:
                    skips.add(source, f"duplicate id {paper.id} (first seen at {where(seen_ids[paper.id])})", paper.id)
                    continue
                here = (index << _LINE_BITS) | record.line
                seen_ids[paper.id] = here
                seen_titles[key] = here
            yield paper
