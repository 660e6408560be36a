"""RDF export of a paperkg graph, following ``ontology/paperkg.ttl``.

:func:`to_triples` turns the networkx graph into a sorted list of pyoxigraph triples;
:func:`write_rdf` serialises them with pyoxigraph (fast on millions of triples) to a file,
atomically and byte-for-byte deterministically; :func:`to_rdflib` gives an rdflib graph.

What is emitted
---------------
- one ``pkg:Paper`` per paper: ``dcterms:identifier/title/abstract`` (plain literals: user text
  stays a literal), ``dcterms:issued`` (``xsd:date`` or ``xsd:gYear``), ``dcterms:creator``
  (author names as literals), ``schema:url`` (``xsd:anyURI``, only for http(s) URLs),
  ``schema:keywords`` (categories);
- one resource per entity typed with its class (``pkg:Method`` …), ``skos:prefLabel``,
  ``skos:altLabel`` per alias, ``pkg:paperCount``, ``pkg:mentionCount``;
- ``paper pkg:mentions entity`` plus one ``pkg:Mention`` per occurrence (paper, entity,
  surface form, field, offsets);
- each relation as a direct triple (``paper pkg:proposes entity``, ``method pkg:evaluatedOn
  dataset`` …) plus a ``pkg:RelationAssertion`` (``rdf:subject/predicate/object``,
  ``pkg:support``, ``pkg:evidence`` sentence spans, ``prov:wasDerivedFrom`` papers);
- one ``pkg:Extraction`` activity associated with the paperkg software agent; papers, entities
  and assertions are ``prov:wasGeneratedBy`` it. No timestamps, so output is reproducible.

IRIs are minted only from slugs and hashes, never from raw text: entities
``<base>entity/<slug>``, papers ``<base>paper/<ascii slug of id>-<8 hex of sha1(id)>``, mentions,
spans and assertions ``<base>{mention,span,assertion}/<16 hex>``. The paper's source location
(``source`` attribute, a local file path) is not exported.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import networkx as nx
import pyoxigraph as ox

from paperkg.errors import ExportError
from paperkg.models import ENTITY_RELATIONS, ENTITY_TYPES, FIELDS
from paperkg.namespace import PKG_NS, PREFIXES

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "DEFAULT_BASE_IRI",
    "RDF_FORMATS",
    "to_triples",
    "to_rdflib",
    "write_rdf",
    "rdf_prefixes",
    "entity_iri",
    "paper_iri",
]

#: Base IRI of exported instances unless ``base_iri`` says otherwise.
DEFAULT_BASE_IRI = "https://w3id.org/paperkg/id/"

#: Output format names accepted by :func:`write_rdf`, with their pyoxigraph formats.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "xml": "rdfxml", "rdf": "rdfxml", "json-ld": "jsonld"}

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
_DCT = PREFIXES["dcterms"]
_SKOS = PREFIXES["skos"]
_PROV = PREFIXES["prov"]
_SDO = PREFIXES["schema"]

_TYPE = _RDF + "type"
_STRING = _XSD + "string"
_INTEGER = _XSD + "integer"
_KINDS = ("paper", "entity", "mention", "span", "assertion", "activity", "agent")

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BASE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Triples are collected per subject as (predicate-rank, predicate, object-kind, object-value,
# datatype) tuples. Sorting subjects, then each subject's tuples, puts rdf:type first and
# groups predicates, which the Turtle serialiser turns into compact ``;`` and ``,`` lists.
# (Sorting per subject is several times faster than sorting one list of all triples.)
_PO = tuple[int, str, int, str, str]


def _hash(*parts: object, length: int = 16) -> str:
    """Return ``length`` hex digits of the SHA-1 of an unambiguous encoding of ``parts``."""
    data = json.dumps(list(parts), ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha1(data.encode("ascii")).hexdigest()[:length]


def _check_base(base_iri: str) -> str:
    valid = isinstance(base_iri, str) and bool(_BASE.match(base_iri))
    if valid:
        try:
            ox.NamedNode(f"{base_iri}entity/x")  # the full IRI grammar (ports, %-escapes, hosts)
        except ValueError:
            valid = False
    if not valid:
        raise ExportError(
            f"base IRI must be an absolute http(s) IRI ending with '/' or '#', got {base_iri!r}; "
            f"for example {DEFAULT_BASE_IRI!r}"
        )
    return base_iri


def entity_iri(slug: str, *, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Return the IRI of the entity with id ``slug``.

    A slug that is not ``[a-z0-9][a-z0-9-]*`` (at most 200 characters) is replaced by a hash,
    so no user text reaches the IRI.

    Examples
    --------
    >>> entity_iri("variational-autoencoder")
    'https://w3id.org/paperkg/id/entity/variational-autoencoder'
    >>> entity_iri("x> <y")
    'https://w3id.org/paperkg/id/entity/h-814d0e296a846dae'
    """
    if isinstance(slug, str) and len(slug) <= 200 and _SLUG.match(slug):
        return f"{base_iri}entity/{slug}"
    return f"{base_iri}entity/h-{_hash('entity', str(slug))}"


def paper_iri(paper_id: str, *, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Return the IRI of the paper with source id ``paper_id``.

    The local name is an ASCII slug of the id (at most 48 characters, for readability) and
    8 hex digits of the SHA-1 of the exact id (for uniqueness).

    Examples
    --------
    >>> paper_iri("2301.00001")
    'https://w3id.org/paperkg/id/paper/2301-00001-d525095f'
    >>> paper_iri("x> <y").startswith("https://w3id.org/paperkg/id/paper/x-y-")
    True
    """
    text = str(paper_id)
    safe = re.sub(r"[^a-z0-9]+", "-", text.lower())[:48].strip("-")
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{base_iri}paper/{safe}-{digest}" if safe else f"{base_iri}paper/{digest}"


def rdf_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Return the prefixes used in serialisations: vocabularies plus one per kind of instance.

    Examples
    --------
    >>> rdf_prefixes()["entity"]
    'https://w3id.org/paperkg/id/entity/'
    """
    prefixes = dict(PREFIXES)
    for kind in _KINDS:
        prefixes[kind] = f"{base_iri}{kind}/"
    return prefixes


class _Triples:
    """Collects the triples of one export by subject; duplicates collapse."""

    def __init__(self) -> None:
        self.by_subject: defaultdict[str, set[_PO]] = defaultdict(set)

    def iri(self, s: str, p: str, o: str) -> None:
        self.by_subject[s].add((0 if p == _TYPE else 1, p, 0, o, ""))

    def lit(self, s: str, p: str, value: str, datatype: str = _STRING) -> None:
        self.by_subject[s].add((0 if p == _TYPE else 1, p, 1, value, datatype))

    def sorted(self) -> Iterator[tuple[str, _PO]]:
        """Yield (subject, predicate-object) pairs in the export's deterministic order."""
        by_subject = self.by_subject
        for s in sorted(by_subject):
            for po in sorted(by_subject[s]):
                yield s, po

    def integer(self, s: str, p: str, value: int) -> None:
        self.lit(s, p, str(int(value)), _INTEGER)


def _text(value: Any, what: str) -> str:
    """Return ``value`` as text fit for a literal, or raise ExportError naming ``what``."""
    text = "" if value is None else str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ExportError(
            f"{what} contains an unpaired surrogate at position {exc.start} and cannot be written "
            "as RDF; fix the input record's encoding"
        ) from None
    return text


def _count(attrs: dict[str, Any], name: str, node: Any) -> int:
    """Return the non-negative integer attribute ``name`` of an entity node (missing: 0)."""
    value = attrs.get(name) or 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ExportError(f"entity {node!r} has {name}={value!r}; expected a non-negative integer")
    return value


def _issued(attrs: dict[str, Any]) -> tuple[str, str] | None:
    """Return (lexical form, datatype) of a paper's publication date or year, or None."""
    date = attrs.get("date")
    if isinstance(date, str) and _DATE.match(date):
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            pass
        else:
            return date, _XSD + "date"
    year = attrs.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and 1 <= year <= 9999:
        return f"{year:04d}", _XSD + "gYear"
    return None


def _http_url(url: Any) -> str | None:
    """Return ``url`` if it is an http(s) URL without whitespace or control characters."""
    if not isinstance(url, str) or not url or any(c.isspace() or ord(c) < 32 or c in '<>"{}|\\^`' for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _version(G: nx.MultiDiGraph) -> str:
    version = G.graph.get("paperkg_version")
    if not version:
        try:
            import paperkg

            version = getattr(paperkg, "__version__", None)
        except ImportError:  # pragma: no cover - paperkg is importable when this module is
            version = None
    return str(version or "unknown")


def _span(
    out: _Triples,
    iri: str,
    paper: str,
    item: dict[str, Any],
    texts: dict[str, str],
    what: str,
    type_: str = "TextSpan",
) -> tuple[str, int, int]:
    """Emit the ``type_`` and span triples of evidence ``item``; return (field, start, end)."""
    field = item.get("field")
    start, end = item.get("start"), item.get("end")
    if field not in FIELDS:
        raise ExportError(f"{what}: evidence field must be one of {list(FIELDS)}, got {field!r}")
    limit = len(texts.get(field) or "")
    ok = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end))
    if not ok or not 0 <= start <= end <= limit:
        raise ExportError(
            f"{what}: evidence offsets must be integers with 0 <= start <= end <= {limit} "
            f"(length of the {field}), got start={start!r} end={end!r}"
        )
    out.iri(iri, _TYPE, PKG_NS + type_)
    out.iri(iri, PKG_NS + "inPaper", paper)
    out.lit(iri, PKG_NS + "field", field)
    out.integer(iri, PKG_NS + "startOffset", start)
    out.integer(iri, PKG_NS + "endOffset", end)
    return field, start, end


def _collect(G: nx.MultiDiGraph, base: str) -> _Triples:
    """Collect the triples of the whole export."""
    out = _Triples()
    version = _version(G)
    version_slug = re.sub(r"[^a-z0-9]+", "-", version.lower()).strip("-") or "unknown"
    agent = f"{base}agent/paperkg-{version_slug}-{_hash('agent', version, length=8)}"
    activity = f"{base}activity/extraction-{_hash('activity', version, length=8)}"
    out.iri(agent, _TYPE, _PROV + "SoftwareAgent")
    out.iri(agent, _TYPE, _PROV + "Agent")
    out.lit(agent, _RDFS + "label", _text(f"paperkg {version}", "paperkg_version"))
    out.iri(activity, _TYPE, PKG_NS + "Extraction")
    out.iri(activity, _TYPE, _PROV + "Activity")
    out.lit(activity, _RDFS + "label", _text(f"paperkg {version} extraction", "paperkg_version"))
    out.iri(activity, _PROV + "wasAssociatedWith", agent)

    iris: dict[Any, str] = {}  # node id -> IRI
    entities: set[Any] = set()  # entity node ids
    paper_ids: dict[Any, str] = {}  # node id -> paper id
    texts: dict[str, dict[str, str]] = {}  # paper id -> field -> text
    paper_by_id: dict[str, str] = {}  # paper id -> IRI
    for node, attrs in G.nodes(data=True):
        kind = attrs.get("kind")
        if kind == "paper":
            pid = _text(attrs.get("id", str(node).removeprefix("paper:")), f"id of node {node!r}")
            iri = paper_iri(pid, base_iri=base)
            iris[node], paper_ids[node], paper_by_id[pid] = iri, pid, iri
            what = f"paper {pid!r}"
            title = _text(attrs.get("title"), f"title of {what}")
            abstract = _text(attrs.get("abstract"), f"abstract of {what}")
            texts[pid] = {"title": title, "abstract": abstract}
            out.iri(iri, _TYPE, PKG_NS + "Paper")
            out.lit(iri, _DCT + "identifier", pid)
            out.lit(iri, _DCT + "title", title)
            out.lit(iri, _DCT + "abstract", abstract)
            issued = _issued(attrs)
            if issued:
                out.lit(iri, _DCT + "issued", *issued)
            for author in attrs.get("authors") or ():
                if author:
                    out.lit(iri, _DCT + "creator", _text(author, f"author of {what}"))
            url = _http_url(attrs.get("url"))
            if url:
                out.lit(iri, _SDO + "url", url, _XSD + "anyURI")
            for category in attrs.get("categories") or ():
                if category:
                    out.lit(iri, _SDO + "keywords", _text(category, f"category of {what}"))
            out.iri(iri, _PROV + "wasGeneratedBy", activity)
        elif kind == "entity":
            slug = attrs.get("id", str(node).removeprefix("entity:"))
            iri = entity_iri(slug, base_iri=base)
            iris[node] = iri
            entities.add(node)
            type_ = attrs.get("type")
            if type_ not in ENTITY_TYPES:
                raise ExportError(f"entity {node!r} has type {type_!r}; expected one of {list(ENTITY_TYPES)}")
            label = _text(attrs.get("label"), f"label of entity {node!r}")
            if not label:
                raise ExportError(f"entity {node!r} has an empty label; every entity needs a label")
            out.iri(iri, _TYPE, PKG_NS + type_)
            out.lit(iri, _SKOS + "prefLabel", label)
            for alias in attrs.get("aliases") or ():
                alias = _text(alias, f"alias of entity {node!r}")
                if alias and alias != label:
                    out.lit(iri, _SKOS + "altLabel", alias)
            out.integer(iri, PKG_NS + "paperCount", _count(attrs, "paper_count", node))
            out.integer(iri, PKG_NS + "mentionCount", _count(attrs, "mention_count", node))
            out.iri(iri, _PROV + "wasGeneratedBy", activity)
        else:
            warnings.warn(f"node {node!r} has kind {kind!r}, not 'paper' or 'entity'; not exported", stacklevel=3)

    for u, v, key, data in G.edges(keys=True, data=True):
        if u not in iris or v not in iris:
            continue  # an endpoint was skipped above (already warned)
        s, o = iris[u], iris[v]
        evidence = data.get("evidence") or ()
        if key in ("mentions", "proposes") and (u not in paper_ids or v not in entities):
            raise ExportError(f"{key} edge {u!r} -> {v!r} must go from a paper node to an entity node")
        if key in ENTITY_RELATIONS and (u not in entities or v not in entities):
            raise ExportError(f"{key} edge {u!r} -> {v!r} must go from an entity node to an entity node")
        if key == "mentions":
            pid = paper_ids[u]
            out.iri(s, PKG_NS + "mentions", o)
            for item in evidence:
                what = f"mention of {v!r} in paper {pid!r}"
                key_parts = (pid, item.get("field"), item.get("start"), item.get("end"), str(v))
                mention = f"{base}mention/{_hash(*key_parts)}"
                field, start, end = _span(out, mention, s, item, texts[pid], what, "Mention")
                surface = item.get("text")
                if surface is None:
                    surface = texts[pid][field][start:end]
                out.iri(mention, PKG_NS + "denotes", o)
                out.lit(mention, PKG_NS + "surfaceForm", _text(surface, what))
        elif key == "proposes" or key in ENTITY_RELATIONS:
            predicate = PKG_NS + key
            out.iri(s, predicate, o)
            assertion = f"{base}assertion/{_hash(str(u), key, str(v))}"
            out.iri(assertion, _TYPE, PKG_NS + "RelationAssertion")
            out.iri(assertion, _RDF + "subject", s)
            out.iri(assertion, _RDF + "predicate", predicate)
            out.iri(assertion, _RDF + "object", o)
            out.iri(assertion, _PROV + "wasGeneratedBy", activity)
            papers = set()
            for item in evidence:
                pid = paper_ids.get(u) if key == "proposes" else item.get("paper")
                pid = None if pid is None else str(pid)
                what = f"{key} edge {u!r} -> {v!r}"
                if pid not in paper_by_id:
                    raise ExportError(f"{what}: evidence refers to paper {pid!r}, which is not in the graph")
                paper = paper_by_id[pid]
                span = f"{base}span/{_hash(pid, item.get('field'), item.get('start'), item.get('end'))}"
                _span(out, span, paper, item, texts[pid], what)
                out.iri(assertion, PKG_NS + "evidence", span)
                out.iri(assertion, _PROV + "wasDerivedFrom", paper)
                papers.add(pid)
            if key == "proposes":
                out.iri(assertion, _PROV + "wasDerivedFrom", s)
                papers.add(paper_ids[u])
            support = data.get("support")
            if not isinstance(support, int) or isinstance(support, bool) or support < 1:
                support = max(1, len(papers))
            out.integer(assertion, PKG_NS + "support", support)
        else:
            warnings.warn(
                f"edge {u!r} -> {v!r} has key {key!r}; expected 'mentions', 'proposes' or one of "
                f"{list(ENTITY_RELATIONS)}; not exported",
                stacklevel=3,
            )
    return out


# N-Triples escapes for literal text: the four characters the grammar forbids raw, and every
# other C0 control character and DEL as \uXXXX, so no raw control character reaches a file.
_NT_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_NT_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _NT_ESCAPES})


def _ntriples_chunks(triples: _Triples, lines_per_chunk: int = 20_000) -> Iterator[bytes]:
    """Yield the sorted triples as N-Triples, in UTF-8 chunks of many lines.

    Building N-Triples text and letting pyoxigraph parse it is several times faster than
    constructing one pyoxigraph ``Triple`` object per triple from Python.
    """
    lines: list[str] = []
    subject_iri, subject = None, ""
    for s, (_rank, p, okind, value, datatype) in triples.sorted():
        if s is not subject_iri:
            subject_iri, subject = s, f"<{s}>"
        if okind == 0:
            lines.append(f"{subject} <{p}> <{value}> .\n")
        elif datatype == _STRING:
            lines.append(f'{subject} <{p}> "{value.translate(_NT_ESCAPES)}" .\n')
        else:
            lines.append(f'{subject} <{p}> "{value.translate(_NT_ESCAPES)}"^^<{datatype}> .\n')
        if len(lines) >= lines_per_chunk:
            yield "".join(lines).encode("utf-8")
            lines.clear()
    if lines:
        yield "".join(lines).encode("utf-8")


class _ChunkReader(io.RawIOBase):
    """A read-only binary stream over an iterator of byte chunks (feeds pyoxigraph lazily)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = memoryview(chunk)
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _parsed(triples: _Triples) -> Iterator[ox.Triple]:
    """Stream the export's triples as pyoxigraph terms, in the export's order."""
    return ox.parse(_ChunkReader(_ntriples_chunks(triples)), format=ox.RdfFormat.N_TRIPLES)


def to_triples(G: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> list[ox.Triple]:
    """Convert a paperkg graph into RDF triples, sorted for deterministic output.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A graph following the paperkg graph contract (``paperkg/graph.py``).
    base_iri : str
        Prefix of the minted instance IRIs; an absolute http(s) IRI ending in ``/`` or ``#``.

    Returns
    -------
    list of pyoxigraph.Triple
        Sorted by subject (``rdf:type`` first), predicate and object.

    Raises
    ------
    ExportError
        If the base IRI is invalid or the graph breaks the contract (unknown entity type,
        evidence offsets outside the text, evidence from a paper not in the graph).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(paperkg_version="0.1.0")
    >>> G.add_node("entity:fid", kind="entity", id="fid", label="FID", type="Metric",
    ...            aliases=[], paper_count=1, mention_count=1)
    >>> [t.predicate.value.split("#")[-1] for t in to_triples(G) if "entity/" in t.subject.value]
    ['type', 'prefLabel', 'wasGeneratedBy', 'mentionCount', 'paperCount']
    """
    base = _check_base(base_iri)
    return list(_parsed(_collect(G, base)))


def to_rdflib(G: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> rdflib.Graph:
    """Return the export of ``G`` as an :class:`rdflib.Graph` with the export's prefixes bound.

    Plain string literals carry no datatype, exactly as rdflib parses them from Turtle.

    Examples
    --------
    >>> import networkx as nx
    >>> len(to_rdflib(nx.MultiDiGraph(paperkg_version="0.1.0")))  # the activity and agent
    7
    """
    import rdflib

    graph = rdflib.Graph()
    for prefix, namespace in rdf_prefixes(base_iri).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    refs: dict[str, rdflib.URIRef] = {}

    def ref(iri: str) -> rdflib.URIRef:
        term = refs.get(iri)
        if term is None:
            term = refs[iri] = rdflib.URIRef(iri)
        return term

    base = _check_base(base_iri)
    for s, (_rank, p, okind, value, datatype) in _collect(G, base).sorted():
        if okind == 0:
            obj: Any = ref(value)
        elif datatype == _STRING:
            obj = rdflib.Literal(value)
        else:
            obj = rdflib.Literal(value, datatype=ref(datatype))
        graph.add((ref(s), ref(p), obj))
    return graph


def _rdf_format(format: str) -> ox.RdfFormat:
    name = _FORMAT_ALIASES.get(str(format).lower(), str(format).lower())
    if name not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {format!r}; choose one of {sorted(RDF_FORMATS)}")
    return RDF_FORMATS[name]


def write_rdf(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str] | IO[bytes],
    *,
    format: str = "turtle",
    base_iri: str = DEFAULT_BASE_IRI,
) -> None:
    """Write the RDF export of ``G`` to ``path``.

    A path is written atomically (temporary file in the same directory, then
    ``os.replace``); a binary file object is written to directly. The same graph always
    gives the same bytes.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A graph following the paperkg graph contract.
    path : path or binary file object
        Where to write.
    format : {"turtle", "ntriples", "rdfxml", "jsonld"}
        Serialisation (aliases: ``ttl``, ``nt``, ``xml``, ``rdf``, ``json-ld``).
    base_iri : str
        Prefix of the minted instance IRIs.

    Raises
    ------
    ExportError
        For an unknown format, an invalid graph or base IRI, or a file that cannot be written.

    Examples
    --------
    >>> import io, networkx as nx
    >>> buffer = io.BytesIO()
    >>> write_rdf(nx.MultiDiGraph(paperkg_version="0.1.0"), buffer, format="ntriples")
    >>> buffer.getvalue().count(b"\\n")  # the activity and agent
    7
    """
    rdf_format = _rdf_format(format)
    collected = _collect(G, _check_base(base_iri))
    prefixes = rdf_prefixes(base_iri)
    if hasattr(path, "write"):
        ox.serialize(_parsed(collected), path, rdf_format, prefixes=prefixes)
        return
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(
            f"cannot write RDF to {target}: {exc.strerror or exc}; check the directory exists and is writable"
        ) from exc
    try:
        os.close(fd)
        ox.serialize(_parsed(collected), tmp, rdf_format, prefixes=prefixes)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write RDF to {target}: {exc.strerror or exc}") from exc
        raise


def _umask() -> int:
    """Return the process umask (read without changing it where /proc allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
