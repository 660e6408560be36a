"""arXiv API responses (``"arxiv-atom"``): an Atom ``<feed>`` of ``<entry>`` elements.

Per entry: ``id`` (``http://arxiv.org/abs/2101.00001v2`` → ``arXiv:2101.00001``),
``title``, ``summary``, ``published`` (else ``updated``), ``author/name``,
``link rel="alternate"``, ``arxiv:primary_category`` then ``category/@term``.
The feed is parsed incrementally (``ElementTree.XMLPullParser``, the parser behind
``iterparse``, fed 64 KiB at most at a time) and each entry is cleared once read.
The error entry the arXiv API returns for a bad query is skipped with its message.

What this does not do: resolve DTDs or external entities (ElementTree never fetches them).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .records import RawRecord, is_empty_record, normalize_text
from .textio import open_input

__all__ = ["ATOM_NS", "ARXIV_NS", "arxiv_id", "read_arxiv_atom"]

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
_A, _X = f"{{{ATOM_NS}}}", f"{{{ARXIV_NS}}}"
_CHUNK = 1 << 16
_ABS_URL = re.compile(r"https?://(?:export\.)?arxiv\.org/abs/(.+?)(?:v\d+)?", re.IGNORECASE)


def arxiv_id(atom_id: str) -> str:
    """Return ``"arXiv:<id>"`` for an arXiv abstract URL (version dropped), else the text itself.

    Examples
    --------
    >>> arxiv_id("http://arxiv.org/abs/2101.00001v2")
    'arXiv:2101.00001'
    >>> arxiv_id("http://arxiv.org/abs/hep-th/9901001v1")
    'arXiv:hep-th/9901001'
    """
    match = _ABS_URL.fullmatch(atom_id.strip())
    return f"arXiv:{match.group(1)}" if match else atom_id


def _text(element: ET.Element | None) -> str | None:
    return None if element is None else "".join(element.itertext())


def _entry_record(line: int, entry: ET.Element) -> RawRecord:
    raw_id = normalize_text(_text(entry.find(_A + "id")) or "")
    summary = _text(entry.find(_A + "summary"))
    if "arxiv.org/api/errors" in raw_id:
        return RawRecord(line, None, f"arXiv API error: {normalize_text(summary or '')}")
    links = [link for link in entry.findall(_A + "link") if link.get("rel", "alternate") == "alternate"]
    links.sort(key=lambda link: link.get("type") != "text/html")
    primary = entry.find(_X + "primary_category")
    terms = [] if primary is None else [primary.get("term")]
    terms += [category.get("term") for category in entry.findall(_A + "category")]
    fields = {
        "id": arxiv_id(raw_id) if raw_id else None,
        "title": _text(entry.find(_A + "title")),
        "abstract": summary,
        "date": _text(entry.find(_A + "published")) or _text(entry.find(_A + "updated")),
        "authors": [_text(author.find(_A + "name")) for author in entry.findall(_A + "author")],
        "url": links[0].get("href") if links else (raw_id or None),
        "categories": [term for term in terms if term],
    }
    if is_empty_record(fields):
        return RawRecord(line, None, "empty record")
    return RawRecord(line, fields)


def read_arxiv_atom(path: Path, name: str) -> Iterator[RawRecord]:
    """Yield one ``RawRecord`` per ``<entry>`` of the Atom feed in ``path``.

    Raises
    ------
    InputError
        The XML is not well-formed (the message names the line) or the root is not an Atom ``<feed>``.
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    depth, line, entry_line = 0, 1, 1

    def events() -> Iterator[RawRecord]:
        nonlocal root, depth, entry_line
        for event, element in parser.read_events():
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    if element.tag != _A + "feed":
                        raise InputError(
                            f"{name}:{line}: the root element is <{element.tag}>, expected an Atom <feed> "
                            f"({ATOM_NS}) as returned by the arXiv API"
                        )
                elif depth == 2 and element.tag == _A + "entry":
                    entry_line = line
                continue
            depth -= 1
            if depth == 1 and element.tag == _A + "entry":
                yield _entry_record(entry_line, element)
                root.clear()  # type: ignore[union-attr]  # drop the entries read so far

    with open_input(path, name) as fh:
        try:
            while chunk := fh.readline(_CHUNK):
                parser.feed(chunk)
                yield from events()
                line += chunk.endswith(b"\n")
            parser.close()
            yield from events()
        except ET.ParseError as exc:
            error_line, column = exc.position
            raise InputError(
                f"{name}:{error_line}: the XML is not well-formed ({exc.msg.split(':')[0]} at column {column + 1}); "
                "expected an arXiv API Atom feed"
            ) from None
    if root is None:
        raise InputError(f"{name}: the file has no XML elements; expected an arXiv API Atom feed")
