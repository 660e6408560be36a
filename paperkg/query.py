"""SPARQL over paperkg RDF exports, with pyoxigraph.

:func:`run_query` loads one or more RDF files into an in-memory store and runs a SELECT,
ASK or CONSTRUCT query; :func:`load_query` finds the documented example queries of
``ontology/queries/`` by name. Results come back as plain Python values in a
:class:`QueryResult` that renders as CSV, JSON or a text table.

The store is read-only from here: SPARQL Update (``INSERT``, ``DROP`` …) is rejected as a
syntax error, because only the query grammar is accepted.

Examples
--------
>>> import networkx as nx, tempfile, os
>>> from paperkg.export.rdf import write_rdf
>>> G = nx.MultiDiGraph(paperkg_version="0.1.0")
>>> G.add_node("entity:fid", kind="entity", id="fid", label="FID", type="Metric",
...            aliases=["Fréchet Inception Distance"], paper_count=1, mention_count=1)
>>> path = os.path.join(tempfile.mkdtemp(), "graph.ttl")
>>> write_rdf(G, path)
>>> result = run_query(path, "SELECT ?label ?n WHERE { ?e skos:prefLabel ?label ; pkg:paperCount ?n }")
>>> result.variables, result.rows
(('label', 'n'), [('FID', 1)])
>>> print(result.to_table())
label  n
-----  -
FID    1
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import pyoxigraph as ox

from paperkg.errors import InputError, QueryError
from paperkg.namespace import PREFIXES, ontology_dirs

__all__ = [
    "QueryParam",
    "NamedQuery",
    "QueryResult",
    "run_query",
    "load_query",
    "list_queries",
    "load_store",
    "parse_query_header",
    "RDF_EXTENSIONS",
]

Source = Union[str, os.PathLike, ox.Store]
Value = Union[str, int, float, bool, None]

_XSD = PREFIXES["xsd"]
_INTEGER_TYPES = {
    _XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
}
_FLOAT_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_BOOLEAN = _XSD + "boolean"

_HEADER_LINE = re.compile(r"^#\s*(title|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<doc>.*)\))?$")
_DEFAULT = re.compile(r";?\s*default:\s*(?P<default>.*)$")


@dataclass(frozen=True)
class QueryParam:
    """A parameter declared in a query header (``# param: name  (description; default: X)``).

    ``default`` is None when the query's ``VALUES`` block leaves it ``UNDEF`` (no filter).
    """

    name: str
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query read from a ``.rq`` file, with its header metadata."""

    name: str
    text: str
    path: Path | None = None
    title: str = ""
    description: str = ""
    params: tuple[QueryParam, ...] = ()


@dataclass
class QueryResult:
    """The result of a query as plain Python values.

    ``kind`` is ``"select"``, ``"ask"`` or ``"construct"``. ASK results have one variable
    ``ask`` and one row ``(True,)`` or ``(False,)`` (also in ``boolean``); CONSTRUCT and
    DESCRIBE results have the variables ``subject``, ``predicate``, ``object`` and keep the
    pyoxigraph triples in ``triples`` for :meth:`to_turtle`. IRIs are strings, typed
    numeric literals are ``int``/``float``, booleans ``bool``, unbound values ``None``.
    """

    kind: Literal["select", "ask", "construct"]
    variables: tuple[str, ...] = ()
    rows: list[tuple[Value, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def to_records(self) -> list[dict[str, Value]]:
        """Return the rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, row)) for row in self.rows]

    def to_json(self, *, indent: int | None = None) -> str:
        """Return the rows as a JSON array of objects (unbound values are ``null``)."""
        return json.dumps(self.to_records(), ensure_ascii=False, indent=indent)

    def to_csv(self) -> str:
        """Return the rows as CSV with a header line (unbound values are empty cells)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if value is None else _text(value) for value in row])
        return buffer.getvalue()

    def to_table(self, *, max_width: int = 60) -> str:
        """Return a plain fixed-width text table.

        Control characters (newlines, terminal escape sequences) in values are shown
        escaped, so untrusted text cannot disturb the terminal; cells longer than
        ``max_width`` are cut with ``…``.
        """
        cells = [[_cell(value, max_width) for value in row] for row in self.rows]
        header = [_cell(name, max_width) for name in self.variables]
        widths = [max([len(header[i])] + [len(row[i]) for row in cells]) for i in range(len(header))]
        numeric = [_numeric(self.rows, i) for i in range(len(header))]

        def line(values: Sequence[str]) -> str:
            parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
            return "  ".join(parts).rstrip()

        out = [line(header), line(["-" * w for w in widths])]
        out.extend(line(row) for row in cells)
        return "\n".join(out)

    def to_rich(self, *, title: str | None = None):  # -> rich.table.Table
        """Return a :class:`rich.table.Table`; values are plain text, never console markup."""
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title)
        for i, name in enumerate(self.variables):
            table.add_column(Text(name), justify="right" if _numeric(self.rows, i) else "left")
        for row in self.rows:
            table.add_row(*(Text(_cell(value, 10_000)) for value in row))
        return table

    def to_turtle(self) -> str:
        """Return the triples of a CONSTRUCT or DESCRIBE result as Turtle."""
        if self.kind != "construct":
            raise QueryError(
                f"only CONSTRUCT or DESCRIBE results serialise as Turtle; this is a {self.kind.upper()} result"
            )
        data = ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return data.decode("utf-8")


def _numeric(rows: list[tuple[Value, ...]], i: int) -> bool:
    """Whether column ``i`` holds only numbers (and unbound values): it is right-aligned."""
    values = [row[i] for row in rows if row[i] is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell(value: Value, max_width: int) -> str:
    """Render a value for a terminal: control characters escaped, long text cut."""
    if value is None:
        return ""
    text = _text(value)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        text = "".join(
            c if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") else c.encode("unicode_escape").decode("ascii")
            for c in text
        )
    if len(text) > max_width:
        text = text[: max(1, max_width - 1)] + "…"
    return text


def _value(term: Any) -> Value:
    """Convert a pyoxigraph term to a plain Python value."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value  # ill-typed literal: keep the text
        if datatype == _BOOLEAN:
            return term.value in ("true", "1")
        return term.value
    return str(term)  # RDF-star quoted triple


#: RDF file extensions :func:`load_store` accepts.
RDF_EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def _format_of(path: Path) -> ox.RdfFormat:
    rdf_format = RDF_EXTENSIONS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(
            f"cannot tell the RDF format of {path} from its extension {path.suffix!r}; "
            f"use one of {', '.join(RDF_EXTENSIONS)}"
        )
    return rdf_format


def load_store(sources: Source | Iterable[Source]) -> ox.Store:
    """Load RDF files into a new in-memory pyoxigraph store (a store is returned as is).

    Formats are chosen by file extension (``.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.rdf``,
    ``.jsonld`` …). Quads from TriG/N-Quads keep their graphs; queries see the union.

    Raises
    ------
    InputError
        If a file is missing, has an unknown extension or does not parse.
    """
    if isinstance(sources, ox.Store):
        return sources
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    store = ox.Store()
    for source in sources:
        if isinstance(source, ox.Store):
            raise InputError("pass a pyoxigraph Store on its own, not inside a list of files")
        path = Path(source)
        if not path.is_file():
            raise InputError(f"RDF file {path} does not exist; build the graph first (paperkg build) or fix the path")
        rdf_format = _format_of(path)
        try:
            store.bulk_load(path=str(path), format=rdf_format)
        except SyntaxError as exc:
            raise InputError(f"cannot parse {path} as {rdf_format.name}: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from exc
    return store


def run_query(
    sources: Source | Iterable[Source],
    sparql: str | NamedQuery,
    *,
    base_iri: str | None = None,
) -> QueryResult:
    """Run a SPARQL query over RDF files (or an already loaded store).

    Parameters
    ----------
    sources : path, list of paths, or pyoxigraph.Store
        RDF files to load into a fresh in-memory store; formats by extension. Passing a
        store (see :func:`load_store`) avoids reloading for several queries.
    sparql : str or NamedQuery
        The query text, or a query from :func:`load_query`. The prefixes ``pkg``,
        ``rdf``, ``rdfs``, ``owl``, ``xsd``, ``dcterms``, ``skos``, ``prov`` and ``schema``
        are predeclared.
    base_iri : str, optional
        Base IRI against which relative IRIs in the query are resolved.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        If the query does not parse (the message holds the parser's message and the query
        name) or fails while running.
    InputError
        If a source file is missing or cannot be parsed.
    """
    if isinstance(sparql, NamedQuery):
        name, text = sparql.name, sparql.text
    else:
        name, text = "<inline query>", sparql
    store = load_store(sources)
    try:
        result = store.query(text, base_iri=base_iri, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            answer = bool(result)
            return QueryResult("ask", ("ask",), [(answer,)], boolean=answer)
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = [tuple(_value(solution[v]) for v in variables) for solution in result]
            return QueryResult("select", variables, rows)
        triples = list(result)
        rows = [(_value(t.subject), _value(t.predicate), _value(t.object)) for t in triples]
        return QueryResult("construct", ("subject", "predicate", "object"), rows, triples=triples)
    except SyntaxError as exc:
        raise QueryError(f"query {name} is not valid SPARQL 1.1 (SELECT, ASK, CONSTRUCT or DESCRIBE): {exc}") from exc
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"query {name} failed: {exc}") from exc


def parse_query_header(text: str) -> tuple[str, str, tuple[QueryParam, ...]]:
    """Return (title, description, params) from the leading ``#`` comment block of a query.

    Examples
    --------
    >>> parse_query_header('''# title: Aliases
    ... # description: Other names of an entity.
    ... # param: entity  (label or alias; default: VAE)
    ... SELECT * WHERE { ?s ?p ?o }''')
    ('Aliases', 'Other names of an entity.', (QueryParam(name='entity', description='label or alias', default='VAE'),))
    """
    title, description, params = "", "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value
        elif key == "description":
            description = value
        else:
            param = _PARAM.match(value)
            if param is None:
                continue
            doc, default = (param.group("doc") or "").strip(), None
            found = _DEFAULT.search(doc)
            if found:
                default = found.group("default").strip()
                doc = doc[: found.start()].strip()
                if default == "UNDEF":
                    default = None
            params.append(QueryParam(param.group("name"), doc, default))
    return title, description, tuple(params)


def _read_query(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file {path}: {exc}") from exc
    title, description, params = parse_query_header(text)
    return NamedQuery(path.stem, text, path, title, description, params)


def _query_dirs() -> list[Path]:
    return [d / "queries" for d in ontology_dirs() if (d / "queries").is_dir()]


def list_queries() -> list[NamedQuery]:
    """Return the example queries shipped with paperkg, sorted by name.

    Examples
    --------
    >>> "methods-on-dataset" in [q.name for q in list_queries()]
    True
    """
    found: dict[str, Path] = {}
    for directory in _query_dirs():
        for path in sorted(directory.glob("*.rq")):
            found.setdefault(path.stem, path)
    return [_read_query(found[name]) for name in sorted(found)]


def load_query(name_or_path: str | os.PathLike[str]) -> NamedQuery:
    """Return a shipped query by name (``"methods-on-dataset"``) or a ``.rq`` file by path.

    Raises
    ------
    QueryError
        If no such query exists; the message lists the available names.

    Examples
    --------
    >>> load_query("aliases-of").title
    'Aliases of an entity'
    """
    path = Path(name_or_path)
    if path.is_file():
        return _read_query(path)
    name = str(name_or_path)
    if re.fullmatch(r"[A-Za-z0-9_-]+", name.removesuffix(".rq")):
        for directory in _query_dirs():
            candidate = directory / f"{name.removesuffix('.rq')}.rq"
            if candidate.is_file():
                return _read_query(candidate)
    available = ", ".join(q.name for q in list_queries()) or "none found"
    raise QueryError(f"no query named {name!r} and no such file; available queries: {available}")
