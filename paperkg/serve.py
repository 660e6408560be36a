"""A SPARQL 1.1 Protocol endpoint over a paperkg store (``paperkg serve``).

Paths are the ones the Oxigraph server uses, so clients configured for it work unchanged:

- ``GET /query?query=…``, ``POST /query`` with a form (``query=…``) or an
  ``application/sparql-query`` body; optional ``default-graph-uri`` / ``named-graph-uri``.
  Content negotiation (``Accept``): ``application/sparql-results+json`` (default),
  ``application/sparql-results+xml``, ``text/csv``, ``text/tab-separated-values`` for SELECT
  and ASK; ``text/turtle`` (default), ``application/n-triples``, ``application/rdf+xml``,
  ``application/ld+json`` for CONSTRUCT and DESCRIBE. paperkg's prefixes (``pkg:``,
  ``skos:``, ``dcterms:`` …) are predeclared.
- ``POST /update`` (form ``update=…`` or ``application/sparql-update``): answered ``403``
  unless the server was started with ``allow_update=True`` (``--allow-update``).
- ``GET /``: a small query page (a form and a results table; no external scripts, works
  offline).

Answers: ``400`` for a query that does not parse, ``406`` when no acceptable format fits the
answer, ``503`` when a query runs past the time limit or every worker stays busy that long,
``413`` for a request body over the size limit.

Design
------
Why our own server rather than the ``oxigraph`` PyPI package's server binary: that binary is
a fine server (and can serve a paperkg store directory as it is:
``oxigraph serve-read-only --location DIR``), but it is a 20 MB platform-specific extra
dependency, it streams results so a query cancelled by its timeout ends as a truncated
``200`` answer rather than an error, and it would not share paperkg's predeclared prefixes.
This module adds no dependency: the standard library's ``ThreadingHTTPServer`` does the HTTP,
and every query runs in a **worker process** that holds the store open read-only (several
workers read at once; ``workers``). Queries are evaluated inside Oxigraph, so a worker is
the only way to really stop one: on time-out the worker is killed (not merely abandoned
while it keeps a core busy), a fresh one is started, and the client gets ``503``. The whole
answer is serialised before the status line is sent, so the status is always truthful.
With ``--allow-update`` one worker holds the store read-write and runs queries and updates
in turn (Oxigraph forbids readers beside a writer in other processes); an update killed by
the time limit is rolled back by Oxigraph's transaction. RDF files given instead of a store
are bulk-loaded into a temporary store first (removed at exit; updates to it are lost).

The HTTP layer is ``http.server``, which the Python documentation does not recommend for
exposure to the internet: the server binds ``127.0.0.1`` by default, limits request bodies
and socket idle time, and warns when bound elsewhere. Other web pages open in the user's
browser can reach ``127.0.0.1`` too, so a POST carrying a foreign ``Origin`` is refused
(a cross-site form cannot send an update) and, on a loopback address, so is a ``Host``
other than ``127.0.0.1``, ``localhost`` or ``::1`` (DNS rebinding). For a public endpoint, serve the same
store directory with the Oxigraph server or push it to a production triple store
(``paperkg push``).
"""

from __future__ import annotations

import ipaddress
import multiprocessing as mp
import os
import queue
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from paperkg.errors import InputError, PaperkgError, QueryError
from paperkg.store import Answer, NotAcceptable, is_store, write_store

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "SparqlServer", "QueryTimeout", "make_server", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: Seconds a query or update may run before its worker is stopped.
DEFAULT_TIMEOUT = 30.0
#: Largest request body accepted (queries, forms and updates), in bytes.
MAX_BODY = 16 * 1024 * 1024

_ANY = ("*/*",)
_LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}


class QueryTimeout(PaperkgError):
    """A query ran past the time limit, or no worker became free within it."""


@dataclass
class _Failure:
    kind: str  # "syntax" | "acceptable" | "error"
    message: str


# -- worker processes ------------------------------------------------------------------------
def _worker_main(directory: str, read_only: bool, conn: Any, in_memory: bool = False) -> None:  # pragma: no cover
    """Serve jobs from ``conn`` on the store in ``directory`` until the pipe closes."""
    import pyoxigraph as ox

    from paperkg.namespace import PREFIXES
    from paperkg.store import answer_query, open_store

    try:
        store = open_store(directory, read_only=read_only, in_memory=in_memory and read_only)
    except PaperkgError as exc:
        conn.send(_Failure("error", str(exc)))
        return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        op, text, accept, default_graphs, named_graphs = job
        try:
            if op == "update":
                try:
                    store.update(text, prefixes=PREFIXES)
                except SyntaxError as exc:
                    conn.send(_Failure("syntax", f"the update is not valid SPARQL 1.1 Update: {exc}"))
                    continue
                conn.send(Answer("update", "text/plain", b""))
                continue
            kw: dict[str, Any] = {}
            if default_graphs:
                kw["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
            if named_graphs:
                kw["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
            conn.send(answer_query(store, text, accept=accept, query_options=kw))
        except NotAcceptable as exc:
            conn.send(_Failure("acceptable", str(exc)))
        except QueryError as exc:
            conn.send(_Failure("syntax" if isinstance(exc.__cause__, SyntaxError) else "error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - report it and keep serving
            conn.send(_Failure("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx: Any, directory: str, read_only: bool, in_memory: bool = False) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(directory, read_only, child, in_memory), daemon=True)
        self.process.start()
        child.close()
        hello = self.conn.recv() if self.conn.poll(900) else _Failure("error", "the worker did not start in 900 s")
        if isinstance(hello, _Failure):
            self.stop()
            raise InputError(f"cannot open the store {directory} in a worker process: {hello.message}")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Pool:
    """Worker processes holding the store; a job that runs past the limit kills its worker."""

    def __init__(self, directory: str, *, workers: int, read_only: bool, timeout: float, in_memory: bool = False) -> None:
        self.directory, self.read_only, self.timeout, self.in_memory = directory, read_only, timeout, in_memory
        self.ctx = mp.get_context("spawn")  # never fork a process that has RocksDB open
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.size = workers
        self.closed = False
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        try:
            for _ in range(workers):
                self._add()
        except BaseException:
            self.close()
            raise

    def _add(self) -> None:
        worker = _Worker(self.ctx, self.directory, self.read_only, self.in_memory)
        with self.lock:
            if self.closed:
                worker.stop()
                return
            self.all.add(worker)
        self.idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self.lock:
            self.all.discard(worker)
        threading.Thread(target=self._add_quietly, daemon=True).start()

    def _add_quietly(self) -> None:
        try:
            self._add()
        except PaperkgError as exc:  # the pool shrinks; requests still run on the other workers
            print(f"warning: could not restart a query worker: {exc}", file=sys.stderr, flush=True)

    def run(self, job: tuple) -> Answer | _Failure:
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"all {self.size} workers stayed busy for {self.timeout:g} s; try again later") from None
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                result = worker.conn.recv()
                self.idle.put(worker)
                return result
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return _Failure("error", "the query worker stopped unexpectedly; it has been restarted")
        self._replace(worker)
        raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout:g} s and was stopped")

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
        for worker in workers:
            worker.stop()


# -- HTTP ------------------------------------------------------------------------------------
def _accept_list(header: str | None) -> list[str]:
    """Media types of an ``Accept`` header, by decreasing quality (``q=0`` dropped)."""
    if not header or not header.strip():
        return list(_ANY)
    entries = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media_type, quality = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    quality = float(f[2:])
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            entries.append((-quality, position, media_type))
    return [media_type for _, _, media_type in sorted(entries)] or list(_ANY)


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "paperkg-sparql"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a client may stay idle on its socket

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    # -- replies
    def _reply(self, status: int, body: bytes, media_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        self._reply(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8", extra)

    # -- request parsing
    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked" or length is None:
            self._error(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header (chunked bodies are not supported)")
            return None
        try:
            size = int(length)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, f"invalid Content-Length {length!r}")
            return None
        if size > MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY} bytes")
            return None
        return self.rfile.read(size)

    def _operation(self, name: str) -> tuple[str | None, dict[str, list[str]]] | None:
        """Return (operation text, parameters) of a GET or POST request, or None after an error reply."""
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if self.command == "POST":
            body = self._body()
            if body is None:
                return None
            content_type = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            direct = "application/sparql-query" if name == "query" else "application/sparql-update"
            if content_type == direct:
                try:
                    return body.decode("utf-8"), params
                except UnicodeDecodeError:
                    self._error(HTTPStatus.BAD_REQUEST, f"the {name} is not UTF-8 text")
                    return None
            if content_type == "application/x-www-form-urlencoded":
                try:
                    form = parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=False)
                except UnicodeDecodeError:
                    self._error(HTTPStatus.BAD_REQUEST, "the form body is not URL-encoded ASCII")
                    return None
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            else:
                self._error(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"POST /{name} takes {direct} or application/x-www-form-urlencoded, not {content_type or 'nothing'}",
                )
                return None
        values = params.get(name, [])
        if len(values) != 1:
            self._error(HTTPStatus.BAD_REQUEST, f"give exactly one '{name}' parameter (got {len(values)})")
            return None
        return values[0], params

    # -- guards against other web pages: a page in the user's browser may send requests to
    # 127.0.0.1 (a form POST needs no CORS preflight) or rebind its own host name to it.
    def _refused(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if self.server.loopback and urlsplit(f"//{host}").hostname not in _LOOPBACK_NAMES:
            self.close_connection = True
            self._error(HTTPStatus.FORBIDDEN, f"unexpected Host header {host!r}; use http://127.0.0.1:PORT/")
            return True
        origin = self.headers.get("Origin")
        if self.command == "POST" and origin is not None and urlsplit(origin).netloc.lower() != host:
            self.close_connection = True
            self._error(HTTPStatus.FORBIDDEN, f"cross-origin request from {origin!r} refused")
            return True
        return False

    # -- routes
    def do_GET(self) -> None:
        if self._refused():
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._reply(HTTPStatus.OK, _PAGE, "text/html; charset=utf-8",
                        {"Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                         "style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'"})
        elif path == "/query":
            self._query()
        elif path == "/update":
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "send updates with POST", {"Allow": "POST"})
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such path {path!r}; the endpoint is /query (and /update)")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if self._refused():
            return
        path = urlsplit(self.path).path
        if path == "/query":
            self._query()
        elif path == "/update":
            self._update()
        else:
            self.close_connection = True
            self._error(HTTPStatus.NOT_FOUND, f"no such path {path!r}; the endpoint is /query (and /update)")

    def _query(self) -> None:
        parsed = self._operation("query")
        if parsed is None:
            return
        text, params = parsed
        job = ("query", text, _accept_list(self.headers.get("Accept")),
               params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        self._run(job)

    def _update(self) -> None:
        if not self.server.allow_update:
            self.close_connection = True
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only; start `paperkg serve` with --allow-update "
                        "to accept SPARQL updates")
            return
        parsed = self._operation("update")
        if parsed is None:
            return
        text, _ = parsed
        self._run(("update", text, [], [], []))

    def _run(self, job: tuple) -> None:
        try:
            result = self.server.pool.run(job)
        except QueryTimeout as exc:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc), {"Retry-After": "5"})
            return
        if isinstance(result, _Failure):
            status = {"syntax": HTTPStatus.BAD_REQUEST, "acceptable": HTTPStatus.NOT_ACCEPTABLE}.get(
                result.kind, HTTPStatus.INTERNAL_SERVER_ERROR)
            self._error(status, result.message)
        elif result.kind == "update":
            self._reply(HTTPStatus.NO_CONTENT, b"", "text/plain")
        else:
            media_type = result.media_type + ("; charset=utf-8" if not result.media_type.endswith("xml") else "")
            self._reply(HTTPStatus.OK, result.body, media_type, {"Vary": "Accept"})


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: ``pool`` runs the operations, ``url`` is where it listens."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], pool: _Pool, *, allow_update: bool, quiet: bool,
                 cleanup: Path | None = None) -> None:
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        # set before binding: when the bind fails, socketserver calls server_close(), which uses them
        self.pool, self.allow_update, self.quiet, self._cleanup = pool, allow_update, quiet, cleanup
        self.loopback = _is_loopback(host)
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None


def make_server(
    store: str | os.PathLike | None = None,
    files: Iterable[str | os.PathLike] = (),
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    allow_update: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = 2,
    quiet: bool = False,
    in_memory: bool = True,
) -> SparqlServer:
    """Create (but do not start) a SPARQL endpoint over a store directory or RDF files.

    Parameters
    ----------
    store : path, optional
        A store directory (``paperkg load``/``build --store``). Exclusive with ``files``.
    files : paths
        RDF files, bulk-loaded into a temporary store removed when the server closes.
    host, port : str, int
        Where to listen; port 0 picks a free port (see :attr:`SparqlServer.url`).
    allow_update : bool
        Accept SPARQL Update at ``/update`` (otherwise ``403``). Uses one read-write worker.
    timeout : float
        Seconds an operation may run (or wait for a free worker) before ``503``.
    workers : int
        Worker processes for a read-only store.
    quiet : bool
        Do not log requests to stderr.
    in_memory : bool
        Each read-only worker copies the store into memory when it starts (about 4× faster
        queries; see :func:`paperkg.store.open_store`); ``False`` queries the on-disk store.

    Returns
    -------
    SparqlServer
        Call ``serve_forever()``, and ``server_close()`` when done.

    Raises
    ------
    InputError
        If the sources are missing, both or neither are given, or the store cannot be opened.
    """
    files = [Path(f) for f in files]
    if (store is None) == (not files):
        raise InputError("serve either a store directory (--store DIR) or RDF files, exactly one of them")
    if timeout <= 0 or workers < 1:
        raise InputError(f"timeout must be > 0 and workers >= 1, got timeout={timeout} workers={workers}")
    cleanup = None
    if store is not None:
        directory = Path(store)
        if not is_store(directory):
            raise InputError(f"{directory} is not a paperkg store; create it with `paperkg load FILE… --store {directory}`")
    else:
        cleanup = Path(tempfile.mkdtemp(prefix="paperkg-serve-"))
        directory = cleanup / "store"
    try:  # on any failure, the temporary store (if any) goes
        if cleanup is not None:
            write_store(files, directory)
        pool = _Pool(str(directory), workers=1 if allow_update else workers, read_only=not allow_update,
                     timeout=timeout, in_memory=in_memory and not allow_update)
        try:
            return SparqlServer((host, port), pool, allow_update=allow_update, quiet=quiet, cleanup=cleanup)
        except OSError as exc:  # the server has closed the pool (server_close)
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    except BaseException:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
        raise


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(
    store: str | os.PathLike | None = None,
    files: Sequence[str | os.PathLike] = (),
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    allow_update: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = 2,
    quiet: bool = False,
    in_memory: bool = True,
    log: Any = sys.stderr,
) -> None:
    """Run the endpoint until interrupted (Ctrl-C); see :func:`make_server` for the parameters.

    Prints one line ``paperkg SPARQL endpoint at http://HOST:PORT/query …`` to ``log`` once
    it listens (tests and scripts read the port from it when ``port=0``).
    """
    server = make_server(store, files, host=host, port=port, allow_update=allow_update, timeout=timeout,
                         workers=workers, quiet=quiet, in_memory=in_memory)
    previous = None
    if threading.current_thread() is threading.main_thread():  # SIGTERM cleans up like Ctrl-C
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        if not _is_loopback(host):
            print(f"warning: listening on {host}, reachable from other machines; this endpoint has no "
                  "authentication", file=log, flush=True)
        mode = "read-write" if allow_update else "read-only"
        print(f"paperkg SPARQL endpoint at {server.url}query ({mode}, time limit {timeout:g} s); "
              f"query page at {server.url}", file=log, flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>paperkg SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;max-width:80rem;color:#222}
textarea{width:100%;height:14rem;font:13px/1.4 ui-monospace,monospace}
table{border-collapse:collapse;margin-top:1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;vertical-align:top;max-width:40rem;overflow-wrap:anywhere}th{background:#f3f3f3}
#status{margin-left:1rem;color:#555}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem}
</style></head><body>
<h1>paperkg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code>. Prefixes <code>pkg: skos: dcterms: rdf: rdfs: owl: xsd:
prov: schema:</code> are predeclared.</p>
<form id="form" method="get" action="query">
<textarea name="query" id="query" spellcheck="false">SELECT ?entity ?type ?papers
WHERE {
  ?e a ?class ; skos:prefLabel ?entity ; pkg:paperCount ?papers .
  VALUES ?class { pkg:Method pkg:Dataset pkg:Task pkg:Metric pkg:Concept }
  BIND (STRAFTER(STR(?class), "#") AS ?type)
}
ORDER BY DESC(?papers) ?entity
LIMIT 20</textarea>
<button type="submit">Run</button><span id="status"></span>
</form>
<div id="out"></div>
<script>
"use strict";
const form = document.getElementById("form"), out = document.getElementById("out"),
      status = document.getElementById("status");
function cell(tag, text) { const c = document.createElement(tag); c.textContent = text; return c; }
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  out.replaceChildren(); status.textContent = "running…";
  const started = performance.now();
  try {
    const response = await fetch("query", {method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: document.getElementById("query").value});
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) { status.textContent = `HTTP ${response.status}`; out.append(cell("pre", text)); return; }
    if (!(response.headers.get("Content-Type") || "").startsWith("application/sparql-results+json")) {
      status.textContent = `${ms} ms`; out.append(cell("pre", text)); return;
    }
    const data = JSON.parse(text);
    if ("boolean" in data) { status.textContent = `${ms} ms`; out.append(cell("pre", String(data.boolean))); return; }
    const vars = data.head.vars, rows = data.results.bindings;
    status.textContent = `${rows.length} rows, ${ms} ms`;
    const table = document.createElement("table"), head = document.createElement("tr");
    vars.forEach(v => head.append(cell("th", v)));
    table.append(head);
    rows.forEach(row => {
      const tr = document.createElement("tr");
      vars.forEach(v => tr.append(cell("td", row[v] ? row[v].value : "")));
      table.append(tr);
    });
    out.append(table);
  } catch (error) { status.textContent = String(error); }
});
</script>
</body></html>
""".encode("utf-8")
