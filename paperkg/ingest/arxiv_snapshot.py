"""The Kaggle arXiv metadata snapshot (``"arxiv-snapshot"``): JSON Lines with arXiv's own keys.

Keys used: ``id``, ``title``, ``abstract``, ``authors`` (one string), ``authors_parsed``
(``[last, first, suffix]`` lists, preferred over ``authors``), ``categories``
(space-separated), ``versions`` (the first version's ``created`` date is the paper's
date) and ``update_date`` (the date when ``versions`` is absent). Ids become
``"arXiv:<id>"`` and the URL the arXiv abstract page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from .json_lines import read_json_lines
from .records import RawRecord

__all__ = ["is_snapshot_record", "from_snapshot", "read_arxiv_snapshot"]


def is_snapshot_record(obj: Any) -> bool:
    """Return True if ``obj`` looks like a line of the arXiv metadata snapshot.

    Examples
    --------
    >>> is_snapshot_record({"id": "2101.00001", "abstract": "...", "categories": "cs.LG", "update_date": "2021-01-05"})
    True
    >>> is_snapshot_record({"id": "p1", "title": "T", "abstract": "..."})
    False
    """
    if not isinstance(obj, Mapping):
        return False
    return "authors_parsed" in obj or all(key in obj for key in ("update_date", "categories", "abstract", "id"))


def _first_version_date(versions: Any) -> str | None:
    if not (isinstance(versions, list) and versions and isinstance(versions[0], Mapping)):
        return None
    created = versions[0].get("created")
    if not isinstance(created, str):
        return None
    try:
        return parsedate_to_datetime(created).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _parsed_names(authors_parsed: Any) -> list[str] | None:
    if not isinstance(authors_parsed, list):
        return None
    names = []
    for parts in authors_parsed:
        if isinstance(parts, list) and all(isinstance(part, str) for part in parts):
            last, first, suffix = (list(parts) + ["", "", ""])[:3]
            names.append(" ".join(part for part in (first, last, suffix) if part.strip()))
    return names or None


def from_snapshot(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Map one snapshot object to canonical fields.

    Examples
    --------
    >>> f = from_snapshot({"id": "0704.0001", "authors_parsed": [["Curie", "Marie", ""]],
    ...                    "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]})
    >>> f["id"], f["authors"], f["date"], f["url"]
    ('arXiv:0704.0001', ['Marie Curie'], '2007-04-02', 'https://arxiv.org/abs/0704.0001')
    """
    raw_id = obj.get("id")
    paper_id, url = raw_id, None
    if isinstance(raw_id, str) and raw_id.strip():
        bare = raw_id.strip().removeprefix("arXiv:")
        paper_id, url = f"arXiv:{bare}", f"https://arxiv.org/abs/{bare}"
    return {
        "id": paper_id,
        "title": obj.get("title"),
        "abstract": obj.get("abstract"),
        "date": _first_version_date(obj.get("versions")) or obj.get("update_date"),
        "authors": _parsed_names(obj.get("authors_parsed")) or obj.get("authors"),
        "url": url,
        "categories": obj.get("categories"),
    }


def read_arxiv_snapshot(path: Path, name: str) -> Iterator[RawRecord]:
    """Yield one ``RawRecord`` per non-blank line of an arXiv snapshot file."""
    return read_json_lines(path, name, from_snapshot)
