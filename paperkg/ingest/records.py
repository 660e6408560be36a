"""What every input format shares: text normalisation, field parsing and the skip report.

Readers turn a file into ``RawRecord``s (a line number plus either canonical fields or
the reason the record is unusable); ``to_paper`` validates canonical fields into a
``Paper``. Canonical field names: ``id``, ``title``, ``abstract``, ``year``, ``date``,
``authors``, ``url``, ``categories``.

What this does not do: HTML unescaping, LaTeX conversion, case folding or any other
rewriting of titles and abstracts — they stay the text the user gave, with whitespace
collapsed and control characters removed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from ..models import Paper, Skip

__all__ = [
    "MIN_ABSTRACT_CHARS",
    "SKIP_CATEGORIES",
    "RawRecord",
    "RecordProblem",
    "SkipReport",
    "skip_category",
    "normalize_text",
    "title_key",
    "title_hash_id",
    "parse_year",
    "parse_authors",
    "parse_categories",
    "is_empty_record",
    "json_record",
    "from_generic",
    "to_paper",
]

#: Abstracts shorter than this (after normalisation) are skipped.
MIN_ABSTRACT_CHARS = 20

#: Reason categories that ``SkipReport.by_reason`` groups on (a reason starts with one).
SKIP_CATEGORIES: tuple[str, ...] = (
    "bad JSON",
    "not a JSON object",
    "empty record",
    "missing title",
    "missing abstract",
    "abstract too short",
    "bad id",
    "bad title",
    "bad abstract",
    "duplicate id",
    "duplicate title",
    "arXiv API error",
)

# Control characters that are not whitespace (whitespace is collapsed separately).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: LaTeX's "~" (a space that does not break) after a word or "." and before a bracket, a
#: command, a number or a capital ("estimation~(NCE)", "Fig.~3", "al.~\cite"); not "z~N(0, I)".
_LATEX_TIE = re.compile(r"(?:(?<=\w\w)|(?<=\.))~(?=[(\[\\0-9A-Z])")
_WORD = re.compile(r"[^\W_]+")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AUTHOR_SEPARATORS = re.compile(r",|\s+and\s+|\s+&\s+")


class RawRecord(NamedTuple):
    """One record as a reader found it: canonical ``fields``, or the ``problem`` with it."""

    line: int
    fields: Mapping[str, Any] | None
    problem: str | None = None
    record_id: str | None = None


class RecordProblem(ValueError):
    """A record cannot become a ``Paper``; ``reason`` goes into the skip report."""

    def __init__(self, reason: str, record_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record_id = record_id


def skip_category(reason: str) -> str:
    """Return the category of a skip ``reason`` (its known prefix, else its head).

    Examples
    --------
    >>> skip_category("bad JSON on line 4: Expecting value at column 1")
    'bad JSON'
    >>> skip_category("duplicate id p1 (first seen at a.jsonl:2)")
    'duplicate id'
    """
    for category in SKIP_CATEGORIES:
        if reason.startswith(category):
            return category
    return re.split(r"[:(]", reason, maxsplit=1)[0].strip() or reason


class SkipReport:
    """The input records that did not become papers, in the order they were met.

    Examples
    --------
    >>> report = SkipReport()
    >>> _ = report.add("a.jsonl:3", "missing abstract", "p3")
    >>> _ = report.add("a.jsonl:5", "bad JSON on line 5: Expecting value at column 1")
    >>> len(report), report.by_reason()
    (2, {'bad JSON': 1, 'missing abstract': 1})
    >>> report.to_list()[0]
    {'source': 'a.jsonl:3', 'category': 'missing abstract', 'reason': 'missing abstract', 'record_id': 'p3'}
    """

    def __init__(self, skips: Iterable[Skip] = ()) -> None:
        self._skips: list[Skip] = list(skips)

    def add(self, source: str, reason: str, record_id: str | None = None) -> Skip:
        """Record that the record at ``source`` (``"file:line"``) was skipped for ``reason``."""
        skip = Skip(source=source, reason=reason, record_id=record_id)
        self._skips.append(skip)
        return skip

    def __iter__(self) -> Iterator[Skip]:
        return iter(self._skips)

    def __len__(self) -> int:
        return len(self._skips)

    def __repr__(self) -> str:
        return f"SkipReport({len(self._skips)} skipped: {self.by_reason()})"

    def by_reason(self) -> dict[str, int]:
        """Return ``{reason category: count}``, sorted by category."""
        counts = Counter(skip_category(skip.reason) for skip in self._skips)
        return dict(sorted(counts.items()))

    def to_list(self) -> list[dict[str, str | None]]:
        """Return the skips as plain dicts, in input order (deterministic for the same input)."""
        return [
            {"source": s.source, "category": skip_category(s.reason), "reason": s.reason, "record_id": s.record_id}
            for s in self._skips
        ]


def normalize_text(text: str) -> str:
    """Remove control characters and collapse every whitespace run to one space.

    Lone surrogates (possible in JSON ``\\ud800`` escapes) become U+FFFD so the text
    can always be written as UTF-8. LaTeX's non-breaking space between words
    ("estimation~(NCE)", "Fig.~3") is a space. Nothing else changes ("~10%" stays).

    Examples
    --------
    >>> normalize_text("  Deep\\n  Learning\\x00 &amp;\\tfriends ")
    'Deep Learning &amp; friends'
    >>> normalize_text("noise-contrastive estimation~(NCE) cuts cost by ~10%")
    'noise-contrastive estimation (NCE) cuts cost by ~10%'
    """
    text = _LATEX_TIE.sub(" ", _SURROGATE.sub("\ufffd", _CONTROL.sub("", text)))
    return " ".join(text.split())


def title_key(title: str) -> str:
    """Return the key titles are deduplicated on: case-folded alphanumeric words.

    Examples
    --------
    >>> title_key("Attention Is All You Need!")
    'attention is all you need'
    >>> title_key("β-VAE: Learning  Basic Visual Concepts")
    'β vae learning basic visual concepts'
    """
    folded = normalize_text(title).casefold()
    return " ".join(_WORD.findall(folded)) or folded


def title_hash_id(title: str) -> str:
    """Return the id of a paper that has none: ``"t-"`` + 12 hex digits of the title key's SHA-1.

    Examples
    --------
    >>> title_hash_id("Attention is all you need") == title_hash_id("ATTENTION IS ALL YOU NEED.")
    True
    >>> len(title_hash_id("Attention is all you need"))
    14
    """
    return "t-" + hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:12]


def parse_year(value: Any) -> int | None:
    """Return ``value`` as a year in 1900..2100, else None (a bad year never skips a record).

    Examples
    --------
    >>> parse_year(2021), parse_year(" 2019 "), parse_year("n/a"), parse_year(3021)
    (2021, 2019, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, int) and 1900 <= value <= 2100:
        return value
    return None


def _year_from_date(date: str) -> int | None:
    for match in _YEAR_IN_TEXT.finditer(date):
        year = parse_year(match.group(1))
        if year is not None:
            return year
    return None


def _clean_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    date = normalize_text(value)
    if _ISO_DATE.match(date):
        return date[:10]
    return date or None


def parse_authors(value: Any) -> tuple[str, ...]:
    """Return author names from a list of str or ``{"name": ...}``, or a ``"A, B and C"`` / ``"A; B"`` string.

    Examples
    --------
    >>> parse_authors("Ada Lovelace, Alan Turing and Grace Hopper")
    ('Ada Lovelace', 'Alan Turing', 'Grace Hopper')
    >>> parse_authors([{"name": "Ada Lovelace"}, "Alan Turing", None])
    ('Ada Lovelace', 'Alan Turing')
    """
    if isinstance(value, str):
        parts: list[Any] = value.split(";") if ";" in value else _AUTHOR_SEPARATORS.split(value)
    elif isinstance(value, (list, tuple)):
        parts = [item.get("name") if isinstance(item, Mapping) else item for item in value]
    else:
        return ()
    names = (normalize_text(part) for part in parts if isinstance(part, str))
    names = (name[4:] if name.startswith("and ") else name for name in names)
    return tuple(name for name in names if name)


def parse_categories(value: Any) -> tuple[str, ...]:
    """Return categories from a list or a space/comma separated string, without repeats.

    Examples
    --------
    >>> parse_categories("cs.LG stat.ML, cs.LG")
    ('cs.LG', 'stat.ML')
    """
    if isinstance(value, str):
        parts: list[Any] = re.split(r"[\s,]+", value)
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        return ()
    cleaned = (normalize_text(part) for part in parts if isinstance(part, str))
    return tuple(dict.fromkeys(part for part in cleaned if part))


def _clean_url(value: Any) -> str | None:
    # Only http(s) URLs without spaces are kept: a URL is later rendered as a link.
    if not isinstance(value, str):
        return None
    url = normalize_text(value)
    if " " in url or not url.lower().startswith(("http://", "https://")):
        return None
    return url


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number" if isinstance(value, (int, float)) else type(value).__name__)


def _text_field(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RecordProblem(f"bad {name}: expected text, got {_json_type(value)}")


def is_empty_record(obj: Mapping[str, Any]) -> bool:
    """Return True if no value of ``obj`` holds anything (``{}``, all-blank CSV row)."""
    for value in obj.values():
        if isinstance(value, str):
            if value.strip():
                return False
        elif isinstance(value, (list, tuple, Mapping)):
            if value:
                return False
        elif value is not None:
            return False
    return True


def json_record(line: int, obj: Any, convert: Any) -> RawRecord:
    """Return the ``RawRecord`` for a decoded JSON value (``convert`` maps an object to fields)."""
    if not isinstance(obj, dict):
        return RawRecord(line, None, f"not a JSON object (got {_json_type(obj)})")
    if is_empty_record(obj):
        return RawRecord(line, None, "empty record")
    return RawRecord(line, convert(obj))


def from_generic(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Map a JSON object or CSV row to canonical fields (keys are case-insensitive).

    ``summary`` stands in for a missing ``abstract``.
    """
    low: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(key, str):
            low.setdefault(key.strip().casefold(), value)
    abstract = low.get("abstract")
    if abstract is None or (isinstance(abstract, str) and not abstract.strip()):
        abstract = low.get("summary", abstract)
    fields = {name: low.get(name) for name in ("id", "title", "year", "date", "authors", "url", "categories")}
    fields["abstract"] = abstract
    return fields


def to_paper(fields: Mapping[str, Any], source: str) -> Paper:
    """Validate canonical ``fields`` into a ``Paper`` read at ``source``.

    Raises
    ------
    RecordProblem
        The title or abstract is missing, the abstract is shorter than
        ``MIN_ABSTRACT_CHARS``, or the id, title or abstract is not text.

    Examples
    --------
    >>> fields = {"title": " Tiny\\n title ", "abstract": "An abstract of some length.", "date": "2020-05-01T10:00:00Z"}
    >>> p = to_paper(fields, "x.json:2")
    >>> p.id, p.title, p.year, p.date
    ('t-784190d67f51', 'Tiny title', 2020, '2020-05-01')
    """
    raw_id = fields.get("id")
    if raw_id is None or isinstance(raw_id, str):
        paper_id = normalize_text(raw_id or "")
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        paper_id = str(raw_id)
    else:
        raise RecordProblem(f"bad id: expected text or an integer, got {_json_type(raw_id)}")
    title = _text_field(fields.get("title"), "title")
    abstract = _text_field(fields.get("abstract"), "abstract")
    paper_id = paper_id or (title_hash_id(title) if title else "")
    if not title:
        raise RecordProblem("missing title", paper_id or None)
    if not abstract:
        raise RecordProblem("missing abstract", paper_id)
    if len(abstract) < MIN_ABSTRACT_CHARS:
        raise RecordProblem(
            f"abstract too short ({len(abstract)} characters; at least {MIN_ABSTRACT_CHARS} needed)", paper_id
        )
    date_value = fields.get("date")
    date = _clean_date(date_value)
    year = parse_year(fields.get("year"))
    if year is None:
        year = _year_from_date(date) if date else parse_year(date_value)
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        year=year,
        date=date,
        authors=parse_authors(fields.get("authors")),
        url=_clean_url(fields.get("url")),
        categories=parse_categories(fields.get("categories")),
        source=source,
    )
