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
import functools
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
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
    "bind_params",
    "load_query",
    "list_queries",
    "load_store",
    "parse_query_header",
    "RDF_EXTENSIONS",
    "rdf_format_of",
    "bulk_load_file",
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


def rdf_format_of(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its extension; :class:`InputError` when unknown."""
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
        bulk_load_file(store, path)
    return store


def bulk_load_file(store: ox.Store, path: Path) -> None:
    """Bulk-load one RDF file (format by extension) into ``store``; :class:`InputError` on failure."""
    rdf_format = rdf_format_of(path)
    try:
        store.bulk_load(path=str(path), format=rdf_format)
    except SyntaxError as exc:
        raise InputError(f"cannot parse {path} as {rdf_format.name}: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def run_query(
    sources: Source | Iterable[Source],
    sparql: str | NamedQuery,
    *,
    params: Mapping[str, str | None] | None = None,
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
    params : mapping of str to str or None, optional
        Values of the query's declared parameters (see :func:`bind_params`); a query
        given as text has its parameters read from its ``# param:`` header.
    base_iri : str, optional
        Base IRI against which relative IRIs in the query are resolved.

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        If the query does not parse (the message holds the parser's message and the query
        name), fails while running, or ``params`` names a parameter the query does not declare.
    InputError
        If a source file is missing or cannot be parsed.
    """
    if params:
        sparql = bind_params(sparql, params)
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


# One term of a ``VALUES ?param_x { … }`` block: UNDEF, a quoted literal (plain, typed or
# language-tagged), a number or a boolean.
_VALUES_TERM = (
    r'UNDEF|"(?:[^"\\\r\n]|\\.)*"(?:\^\^(?:<[^<>"{}|^`\\\s]*>|[A-Za-z][\w.-]*:[\w.-]*)|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?'
    r"|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false"
)
_STRING = _XSD + "string"


@functools.lru_cache(maxsize=1)
def _scratch() -> ox.Store:
    """An empty in-memory store, used only to parse single terms with Oxigraph's parser."""
    return ox.Store()


def _parse_term(text: str) -> ox.Literal | None:
    """Return the term ``text`` (SPARQL syntax) as Oxigraph parses it in a VALUES block."""
    solutions = _scratch().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {text} }} }}", prefixes=PREFIXES)
    return next(iter(solutions))["v"]


def _typed_literal(query: str, param: str, value: Value, default: ox.Literal | None) -> ox.Literal:
    """Build the literal bound to ``param``: same datatype (or language) as its default."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        raise QueryError(f"parameter {param!r} of query {query} must be a string, got {type(value).__name__}")
    datatype = _STRING if default is None else default.datatype.value
    checks = {**{t: int for t in _INTEGER_TYPES}, **{t: float for t in _FLOAT_TYPES}}
    try:
        value.encode("utf-8")
        if datatype in checks:
            checks[datatype](value.strip())
        elif datatype == _BOOLEAN and value not in ("true", "false", "1", "0"):
            raise ValueError(value)
        if default is not None and default.language:
            return ox.Literal(value, language=default.language)
        return ox.Literal(value) if datatype == _STRING else ox.Literal(value, datatype=ox.NamedNode(datatype))
    except UnicodeError:
        raise QueryError(f"parameter {param!r} of query {query} is not valid Unicode text: {value!r}") from None
    except ValueError:
        kind = datatype.rsplit("#", 1)[-1]
        raise QueryError(f"parameter {param!r} of query {query} must be an xsd:{kind} value, got {value!r}") from None


def bind_params(query: str | NamedQuery, params: Mapping[str, Value] | None) -> NamedQuery:
    """Return ``query`` with its declared parameters bound to ``params``, as RDF literals.

    Each parameter ``x`` of a query (a ``# param: x`` header line) has one
    ``VALUES ?param_x { <default> }`` block in the body. Binding replaces the block's
    single term by an RDF literal built with :class:`pyoxigraph.Literal` (an ``xsd:string``,
    or the default's datatype) and written in N-Triples syntax, so every quote, backslash
    and newline is escaped: a value is only ever a string that matches or does not match,
    never query text. The result is checked by parsing the literal back. ``None`` binds
    ``UNDEF`` (no filter, where the query allows it); parameters not in ``params`` keep
    their defaults.

    Parameters
    ----------
    query : str or NamedQuery
        A query from :func:`load_query`, or query text with a ``# param:`` header.
    params : mapping of str to str or None
        Parameter values by name.

    Returns
    -------
    NamedQuery
        A copy with the new text; other fields unchanged.

    Raises
    ------
    QueryError
        If a name is not a declared parameter (the message lists the valid ones), a value
        does not fit the default's datatype, or the query lacks the ``VALUES`` block.

    Examples
    --------
    >>> q = bind_params(load_query("methods-on-dataset"), {"dataset": 'x" } DROP ALL ; #'})
    >>> [line.strip() for line in q.text.splitlines() if "VALUES ?param" in line]
    ['VALUES ?param_dataset { "x\\\\" } DROP ALL ; #" }']
    >>> bind_params(q, {"datset": "MNIST"})
    Traceback (most recent call last):
    ...
    paperkg.errors.QueryError: query methods-on-dataset has no parameter 'datset'; its parameters are: dataset
    """
    if not isinstance(query, NamedQuery):
        title, description, declared = parse_query_header(query)
        query = NamedQuery("<inline query>", query, None, title, description, declared)
    if not params:
        return query
    names = [p.name for p in query.params]
    for name in params:
        if name not in names:
            valid = f"its parameters are: {', '.join(names)}" if names else "it takes no parameters"
            raise QueryError(f"query {query.name} has no parameter {name!r}; {valid}")
    text = query.text
    edits = []
    for name, value in params.items():
        blocks = list(re.finditer(rf"VALUES\s+\?param_{name}\s*\{{\s*(?P<term>{_VALUES_TERM})\s*\}}", text))
        if len(blocks) != 1:
            raise QueryError(
                f"query {query.name} declares parameter {name!r} but has {len(blocks)} "
                f"'VALUES ?param_{name} {{ … }}' blocks holding one term; it needs exactly one"
            )
        block = blocks[0]
        if value is None:
            edits.append((block.start("term"), block.end("term"), "UNDEF"))
            continue
        try:
            default = _parse_term(block.group("term"))
        except SyntaxError as exc:
            raise QueryError(f"query {query.name}: the default of parameter {name!r} does not parse: {exc}") from None
        literal = _typed_literal(query.name, name, value, default)
        serialized = str(literal)  # N-Triples syntax: quotes, backslashes, controls escaped
        if _parse_term(serialized) != literal:  # pragma: no cover - a guard, not an expected path
            raise QueryError(f"cannot bind {value!r} to parameter {name!r} of query {query.name} safely")
        edits.append((block.start("term"), block.end("term"), serialized))
    # apply from the end, on positions found in the original text: a bound value can never
    # be mistaken for another parameter's block
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return NamedQuery(query.name, text, query.path, query.title, query.description, query.params)


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
