"""Upload an RDF export to a SPARQL 1.1 Graph Store Protocol endpoint (``paperkg push``).

Oxigraph (``http://host:7878/store``), Apache Jena Fuseki (``http://host:3030/DATASET/data``),
GraphDB (``http://host:7200/repositories/REPO/rdf-graphs/service``) and Virtuoso
(``http://host:8890/sparql-graph-crud``) all speak the protocol
(https://www.w3.org/TR/sparql11-http-rdf-update/):

- ``PUT  URL?graph=IRI`` replaces the named graph ``IRI`` with the file's triples,
  ``POST URL?graph=IRI`` adds them; ``?default`` instead of ``?graph=`` targets the default graph.

The file is streamed from disk (never read into memory) with ``urllib`` from the standard
library. Any answer other than 2xx raises :class:`~paperkg.errors.ExportError` naming the URL,
the HTTP status and the start of the response body.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from paperkg.errors import ExportError, InputError

__all__ = ["PushResult", "graph_store_url", "push_rdf"]

# Media types of the triple formats a graph store accepts, by file extension.
_MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".n3": "text/n3",
}
_QUAD_FORMATS = (".nq", ".trig")


@dataclass(frozen=True)
class PushResult:
    """What :func:`push_rdf` did: the method, the URL and the endpoint's HTTP status."""

    method: str
    url: str
    status: int
    bytes_sent: int


def graph_store_url(endpoint: str, graph: str | None = None) -> str:
    """Return the Graph Store Protocol URL of ``graph`` (or of the default graph) at ``endpoint``.

    Raises
    ------
    ExportError
        If ``endpoint`` is not an absolute http(s) URL or ``graph`` is not an absolute IRI.

    Examples
    --------
    >>> graph_store_url("http://localhost:7878/store", "https://example.org/g?a=1")
    'http://localhost:7878/store?graph=https%3A%2F%2Fexample.org%2Fg%3Fa%3D1'
    >>> graph_store_url("http://localhost:7878/store")
    'http://localhost:7878/store?default'
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ExportError(
            f"the endpoint must be an http(s) URL of a Graph Store Protocol service, got {endpoint!r}; "
            "for example http://localhost:7878/store (Oxigraph) or http://localhost:3030/ds/data (Fuseki)"
        )
    if graph is None:
        suffix = "default"
    else:
        try:
            ox.NamedNode(graph)  # validates an absolute IRI
        except ValueError:
            raise ExportError(f"the graph name must be an absolute IRI, got {graph!r}") from None
        suffix = "graph=" + quote(graph, safe="")
    return f"{endpoint}{'&' if parts.query else '?'}{suffix}"


def push_rdf(
    path: str | os.PathLike,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 300.0,
) -> PushResult:
    """Upload the RDF file ``path`` to the graph store at ``endpoint``.

    Parameters
    ----------
    path : path
        A triple file: ``.ttl``, ``.nt``, ``.rdf``/``.owl``/``.xml``, ``.jsonld`` or ``.n3``.
    endpoint : str
        The Graph Store Protocol URL (see the module docstring for common servers).
    graph : str, optional
        IRI of the named graph to write; default: the store's default graph.
    replace : bool, optional
        ``True``: ``PUT`` (replace the graph); ``False``: ``POST`` (add to it). Default:
        replace a named graph, add to the default graph (never wipe a default graph that may
        hold other data unless asked).
    headers : mapping, optional
        Extra HTTP headers, e.g. ``{"Authorization": "Bearer …"}``.
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    PushResult

    Raises
    ------
    InputError
        If the file is missing or its format cannot be sent to a graph.
    ExportError
        If the server cannot be reached or answers with an error status (the message holds
        the URL, the status and the start of the body).
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(f"RDF file {file} does not exist; build it first (paperkg build) or fix the path")
    suffix = file.suffix.lower()
    if suffix in _QUAD_FORMATS:
        raise InputError(
            f"{file} holds quads ({suffix}); the Graph Store Protocol takes triples into one graph: "
            "push a Turtle or N-Triples file"
        )
    media_type = _MEDIA_TYPES.get(suffix)
    if media_type is None:
        raise InputError(f"cannot tell the RDF format of {file}; use one of {', '.join(_MEDIA_TYPES)}")
    if replace is None:
        replace = graph is not None
    method = "PUT" if replace else "POST"
    url = graph_store_url(endpoint, graph)
    size = file.stat().st_size
    request_headers = {"Content-Type": media_type, "Content-Length": str(size), **dict(headers or {})}
    with open(file, "rb") as body:
        request = urllib.request.Request(url, data=body, method=method, headers=request_headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as exc:
            detail = _body_excerpt(exc)
            raise ExportError(
                f"{method} {url} failed: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            ) from None
        except urllib.error.URLError as exc:
            raise ExportError(f"cannot reach the graph store at {url}: {exc.reason}") from None
        except (OSError, ValueError) as exc:  # timeouts, connection resets, bad URLs
            raise ExportError(f"{method} {url} failed: {exc}") from None
    return PushResult(method, url, status, size)


def _body_excerpt(error: urllib.error.HTTPError, limit: int = 500) -> str:
    try:
        data = error.read(limit + 1)
    except OSError:
        return ""
    text = data.decode("utf-8", "replace").strip()
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())  # one line, printable
    return text[:limit] + ("…" if len(text) > limit else "")
