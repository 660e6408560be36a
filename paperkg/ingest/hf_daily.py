"""A Hugging Face "Daily Papers" page saved as text (``"hf-daily"``).

Layout: blank-line-separated paragraphs. Page boilerplate ("new", "Subscribe", "Daily
Papers", "Get trending papers in your email inbox!", "byAK and the research community",
date lines such as "Sep 3" or "Submitted on Sep 3, 2025") is dropped; the rest are
title paragraph / abstract paragraph pairs.

Pairing: a *title* is a single-line paragraph of at most ``MAX_TITLE_CHARS`` characters
that does not end with a sentence-final period (a trailing "..." is allowed), contains
no URL and no sentence boundary (". " before a capital, common abbreviations aside);
anything else is an *abstract*. A title not followed by an abstract (two titles in a row, or a
title at the end of the file) is skipped as "missing abstract"; an abstract without a
title before it (for example a second abstract paragraph) as "missing title". A
paper's line is the line of its title; its id is the hash of its title
(``records.title_hash_id``).

What this does not do: read authors, dates or upvote counts from the page, or join
abstracts that span several paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .records import RawRecord, normalize_text, title_hash_id
from .textio import iter_text_lines

__all__ = ["MAX_TITLE_CHARS", "BOILERPLATE", "is_boilerplate", "is_title", "iter_paragraphs", "read_hf_daily"]

#: Longest paragraph still taken for a title.
MAX_TITLE_CHARS = 300

#: Page paragraphs that are never papers (compared case-insensitively).
BOILERPLATE: frozenset[str] = frozenset(
    text.casefold()
    for text in (
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    )
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"(?:(?:submitted|published)\s+(?:on|by)\s+.{{1,80}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)",
    re.IGNORECASE,
)


# ". " + capital after a word that is not a usual abbreviation: a sentence boundary.
_SENTENCE_BREAK = re.compile(
    r"(?<=[a-z0-9)\]])(?<!\bvs)(?<!\bal)(?<!\betc)(?<!\be\.g)(?<!\bi\.e)(?<!\bcf)(?<!\bFig)(?<!\bapprox)\.\s+[A-Z]"
)


def is_boilerplate(text: str) -> bool:
    """Return True for a page paragraph that is not part of a paper.

    Examples
    --------
    >>> [is_boilerplate(t) for t in ("Subscribe", "Sep 3", "Sep 3, 2025", "Submitted on Sep 3")]
    [True, True, True, True]
    >>> is_boilerplate("Pareto Domain Adaptation")
    False
    """
    return text.casefold() in BOILERPLATE or _DATE_LINE.fullmatch(text) is not None


def is_title(lines: list[str]) -> bool:
    """Return True if a paragraph (its stripped lines) looks like a title rather than an abstract.

    Examples
    --------
    >>> is_title(["Sparse Mixtures of Tiny Experts"]), is_title(["We study sparse mixtures."])
    (True, False)
    >>> is_title(["Transformers vs. RNNs: A Study"]), is_title(["Short. Code at https://example.org"])
    (True, False)
    """
    text = normalize_text(" ".join(lines))
    if len(lines) != 1 or len(text) > MAX_TITLE_CHARS:
        return False
    if "://" in text or _SENTENCE_BREAK.search(text):
        return False
    return not text.endswith(".") or text.endswith(("...", "\u2026"))


def iter_paragraphs(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """Group ``(line number, text)`` pairs into ``(first line number, stripped lines)`` paragraphs.

    Examples
    --------
    >>> list(iter_paragraphs(enumerate(["a", "b", "", " ", "c"], 1)))
    [(1, ['a', 'b']), (5, ['c'])]
    """
    start, block = 0, []
    for lineno, text in lines:
        stripped = text.strip()
        if stripped:
            if not block:
                start = lineno
            block.append(stripped)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def read_hf_daily(path: Path, name: str) -> Iterator[RawRecord]:
    """Yield one ``RawRecord`` per title/abstract pair (or unpaired paragraph) of ``path``."""
    pending: tuple[int, str] | None = None  # a title waiting for its abstract
    for lineno, lines in iter_paragraphs(iter_text_lines(path, name)):
        text = normalize_text(" ".join(lines))
        if is_boilerplate(text):
            continue
        if is_title(lines):
            if pending is not None:
                yield RawRecord(pending[0], None, "missing abstract (the title is followed by another title)",
                                title_hash_id(pending[1]))
            pending = (lineno, text)
        elif pending is None:
            yield RawRecord(lineno, None, "missing title (an abstract paragraph with no title before it)")
        else:
            yield RawRecord(pending[0], {"title": pending[1], "abstract": text})
            pending = None
    if pending is not None:
        yield RawRecord(pending[0], None, "missing abstract (the title ends the file)", title_hash_id(pending[1]))
