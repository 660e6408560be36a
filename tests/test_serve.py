"""Tests of ``paperkg serve``: the real command on a free localhost port, queried over HTTP.

A real SPARQL client (SPARQLWrapper) and plain urllib requests check the SPARQL 1.1
Protocol: GET and POST queries, content negotiation, read-only refusal of updates, the
time limit and every canned query on the sample build.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, N3, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from paperkg.query import bind_params, list_queries, run_query
from paperkg.store import open_store

XSD = "http://www.w3.org/2001/XMLSchema#"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?r . ?c ?x ?y . ?d ?y ?z }"


class Server:
    """``python -m paperkg serve ARGS --port 0`` as a subprocess; ``url`` ends with ``/``."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "paperkg", "serve", *map(str, args), "--port", "0", "--quiet"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.banner = self.process.stderr.readline()
        found = re.search(r"(http://[^ ]+/)query", self.banner)
        if not found:
            self.stop()
            raise AssertionError(f"paperkg serve did not start: {self.banner}{self.process.stderr.read()}")
        self.url = found.group(1)

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, rest = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, rest = self.process.communicate()
        return rest


@pytest.fixture(scope="module")
def server(sample_store):
    server = Server("--store", sample_store, "--timeout", "3", "--workers", "2")
    yield server
    server.stop()


def http(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """Return (status, headers, body) without raising on error statuses."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _value(term: dict):
    """A SPARQL JSON binding as the plain value paperkg.query gives."""
    if term is None:
        return None
    if term["type"] in ("uri", "bnode"):
        return term["value"]
    datatype = term.get("datatype", "")
    if datatype == XSD + "integer":
        return int(term["value"])
    if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
        return float(term["value"])
    if datatype == XSD + "boolean":
        return term["value"] == "true"
    return term["value"]


def _rows(body: bytes) -> list[tuple]:
    data = json.loads(body)
    names = data["head"]["vars"]
    return [tuple(_value(b.get(n)) for n in names) for b in data["results"]["bindings"]]


# --- every canned query over HTTP --------------------------------------------------------


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_serve_canned_query_equals_the_api(server, sample_store, name):
    query = bind_params(next(q for q in list_queries() if q.name == name), None)
    status, headers, body = http(server.url + "query", data=query.text.encode("utf-8"), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert _rows(body) == run_query(open_store(sample_store), query).rows


def test_serve_parameterised_query_over_get(server, sample_store):
    query = bind_params(next(q for q in list_queries() if q.name == "aliases-of"), {"entity": "vaes"})
    status, _, body = http(server.url + "query?" + urllib.parse.urlencode({"query": query.text}),
                           headers={"Accept": "application/json"})
    assert status == 200
    rows = _rows(body)
    assert rows and rows == run_query(open_store(sample_store), query).rows


# --- a real client ---------------------------------------------------------------------------


def test_sparqlwrapper_select(server):
    client = SPARQLWrapper(server.url + "query")
    client.setQuery("PREFIX pkg: <https://w3id.org/paperkg/ontology#> "
                    "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }")
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) > 0


def test_sparqlwrapper_ask_with_post(server):
    client = SPARQLWrapper(server.url + "query")
    client.setMethod(POST)
    client.setQuery('ASK { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> "variational autoencoder" }')
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", [TURTLE, N3, XML])
def test_sparqlwrapper_construct(server, fmt):
    client = SPARQLWrapper(server.url + "query")
    client.setQuery("PREFIX pkg: <https://w3id.org/paperkg/ontology#> "
                    "CONSTRUCT { ?e a pkg:Metric } WHERE { ?e a pkg:Metric } LIMIT 5")
    client.setReturnFormat(fmt)
    answer = client.query()
    result = answer.convert()  # an rdflib.Graph (RDF/XML) or the Turtle text
    if isinstance(result, bytes):
        assert answer.response.headers["Content-Type"].startswith("text/turtle")
        result = rdflib.Graph().parse(data=result, format="turtle")
    assert len(result) == 5


def test_sparqlwrapper_insert_is_refused_while_read_only(server, sample_store):
    before = len(open_store(sample_store))
    client = SPARQLWrapper(server.url + "query", updateEndpoint=server.url + "update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)) as caught:
        client.query()
    assert "403" in str(caught.value) or getattr(caught.value, "code", None) == 403
    status, _, body = http(server.url + "update", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"--allow-update" in body
    assert len(open_store(sample_store)) == before


# --- the protocol ----------------------------------------------------------------------------


def test_serve_content_negotiation(server):
    select = urllib.parse.urlencode({"query": "SELECT ?n WHERE { VALUES ?n { 1 2 } }"})
    status, headers, body = http(server.url + "query?" + select, headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["n"], ["1"], ["2"]]
    status, headers, body = http(server.url + "query?" + select,
                                 headers={"Accept": "text/html;q=0.9, text/tab-separated-values"})
    assert headers["Content-Type"].startswith("text/tab-separated-values") and body.splitlines()[0] == b"?n"
    status, headers, body = http(server.url + "query?" + select, headers={"Accept": "application/sparql-results+xml"})
    assert headers["Content-Type"].startswith("application/sparql-results+xml") and b"<sparql" in body
    status, headers, body = http(server.url + "query?" + select)  # no Accept: JSON
    assert headers["Content-Type"].startswith("application/sparql-results+json")

    construct = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/paperkg/ontology#Task> }"})
    status, headers, body = http(server.url + "query?" + construct, headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) > 0
    status, headers, body = http(server.url + "query?" + construct, headers={"Accept": "text/turtle"})
    assert headers["Content-Type"].startswith("text/turtle") and b"pkg:Task" in body
    status, _, body = http(server.url + "query?" + construct, headers={"Accept": "text/csv"})
    assert status == 406 and b"text/turtle" in body


def test_serve_form_post_and_errors(server):
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    status, _, body = http(server.url + "query", data=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = http(server.url + "query", data=b"SELEC nothing", headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"not valid SPARQL" in body
    assert http(server.url + "query", data=b"x", headers={"Content-Type": "text/plain"})[0] == 415
    assert http(server.url + "query")[0] == 400  # no query parameter
    assert http(server.url + "update")[0] == 405
    assert http(server.url + "nowhere")[0] == 404


def test_serve_query_page_works_offline(server):
    status, headers, body = http(server.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "<form" in page and "fetch(" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from elsewhere
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_serve_time_limit_answers_503_and_recovers(server):
    started = time.monotonic()
    status, headers, body = http(server.url + "query?" + urllib.parse.urlencode({"query": HEAVY}))
    assert status == 503 and b"time limit of 3 s" in body
    assert time.monotonic() - started < 20
    status, _, _ = http(server.url + "query?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200  # the other worker (or the replacement) answers


def test_serve_refuses_foreign_pages(server):
    # a cross-site form POST and a DNS-rebound host name: what another web page could send
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    status, _, body = http(server.url + "query", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"})
    assert status == 403 and b"cross-origin" in body
    status, _, body = http(server.url + "query?query=ASK%7B%7D", headers={"Host": "evil.example:7878"})
    assert status == 403 and b"Host" in body
    same = server.url.rstrip("/")
    status, _, _ = http(server.url + "query", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": same})
    assert status == 200  # the query page itself


def test_serve_binds_localhost_by_default(server):
    assert server.url.startswith("http://127.0.0.1:")
    assert "read-only" in server.banner


# --- files and --allow-update --------------------------------------------------------------


def test_serve_files_with_allow_update(sample_build):
    before = sample_build.files["ttl"].read_bytes()
    server = Server(sample_build.files["ttl"], "--allow-update", "--timeout", "10")
    try:
        assert "read-write" in server.banner
        client = SPARQLWrapper(server.url + "query", updateEndpoint=server.url + "update")
        client.setMethod(POST)
        client.setQuery("INSERT DATA { <urn:x> <urn:y> 'paperkg test 7f3a' }")
        assert client.query().response.status in (200, 204)
        client = SPARQLWrapper(server.url + "query")
        client.setQuery("ASK { <urn:x> <urn:y> 'paperkg test 7f3a' }")
        client.setReturnFormat(JSON)
        assert client.query().convert()["boolean"] is True
        # a form posted by another site cannot update
        status, _, _ = http(server.url + "update", data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                     "Origin": "http://evil.example"})
        assert status == 403
        assert client.query().convert()["boolean"] is True
        status, _, _ = http(server.url + "update", data=b"DELETE DATA { <urn:x> <urn:y> 'paperkg test 7f3a' }",
                            headers={"Content-Type": "application/sparql-update"})
        assert status == 204
        assert client.query().convert()["boolean"] is False
    finally:
        server.stop()
    assert sample_build.files["ttl"].read_bytes() == before  # updates went to a temporary store


def test_serve_refuses_bad_sources(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "paperkg", "serve", "--store", tmp_path, "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "not a paperkg store" in " ".join(proc.stderr.split())
    proc = subprocess.run([sys.executable, "-m", "paperkg", "serve", "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "exactly one" in " ".join(proc.stderr.split())


def test_busy_port_is_a_clear_error_and_leaves_no_temporary_store(tmp_path, monkeypatch):
    import socket
    import tempfile

    from paperkg.errors import InputError
    from paperkg.serve import make_server

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where make_server puts its temporary store
    ttl = tmp_path / "g.ttl"
    ttl.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(InputError, match=f"cannot listen on 127.0.0.1:{port}"):
            make_server(files=[ttl], port=port, quiet=True, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]


def test_cli_serve_defaults_equal_the_module_defaults():
    from paperkg import cli, serve

    assert (cli.DEFAULT_HOST, cli.DEFAULT_PORT, cli.DEFAULT_TIMEOUT) == (
        serve.DEFAULT_HOST, serve.DEFAULT_PORT, serve.DEFAULT_TIMEOUT)
