"""Tests of ``paperkg push`` against a real Oxigraph server (the ``oxigraph`` PyPI package)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from paperkg.errors import ExportError, InputError
from paperkg.export.rdf import write_rdf
from paperkg.push import graph_store_url, push_rdf

sys.path.insert(0, str(Path(__file__).parent))
from graphs import EVIL_ID, EVIL_TITLE, tiny_graph  # noqa: E402

GRAPH = "https://example.org/graphs/paperkg"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """A real Oxigraph server (read-write, on disk) on a free localhost port; yields its base URL."""
    binary = Path(sys.executable).with_name("oxigraph")
    assert binary.exists(), "the oxigraph server binary is a test dependency: pip install oxigraph"
    port = _free_port()
    process = subprocess.Popen([str(binary), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"oxigraph did not start: {process.stderr.read().decode()}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(30)


@pytest.fixture(scope="module")
def tiny_export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("push") / "graph.ttl"
    write_rdf(tiny_graph(), path)
    return path


def sparql(url: str, query: str) -> dict:
    request = urllib.request.Request(f"{url}/query?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def count(url: str, graph: str | None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    return int(sparql(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")["results"]["bindings"][0]["n"]["value"])


def triples(path: Path) -> int:
    return len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))


def cli(*args):
    return subprocess.run([sys.executable, "-m", "paperkg", *map(str, args)], capture_output=True, text=True)


def test_cli_push_named_graph_then_query_sees_the_triples(oxigraph, tiny_export):
    proc = cli("push", tiny_export, "--endpoint", f"{oxigraph}/store", "--graph", GRAPH)
    assert proc.returncode == 0, proc.stderr
    message = " ".join(proc.stderr.split())
    assert "replaced graph" in message and "PUT" in message and "HTTP 20" in message
    assert count(oxigraph, GRAPH) == triples(tiny_export)
    # hostile user text arrived as data
    titles = sparql(oxigraph, f"""SELECT ?t WHERE {{ GRAPH <{GRAPH}> {{
        ?p <http://purl.org/dc/terms/identifier> {json.dumps(EVIL_ID)} ; <http://purl.org/dc/terms/title> ?t }} }}""")
    assert [b["t"]["value"] for b in titles["results"]["bindings"]] == [EVIL_TITLE]


def test_push_replace_and_append(oxigraph, tiny_export, tmp_path):
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://example.org/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "extra" .\n')
    graph = GRAPH + "/replace"
    first = push_rdf(tiny_export, f"{oxigraph}/store", graph=graph)
    assert first.method == "PUT" and 200 <= first.status < 300 and first.bytes_sent == tiny_export.stat().st_size
    assert push_rdf(extra, f"{oxigraph}/store", graph=graph, replace=False).method == "POST"
    assert count(oxigraph, graph) == triples(tiny_export) + 1
    push_rdf(extra, f"{oxigraph}/store", graph=graph, replace=True)
    assert count(oxigraph, graph) == 1


def test_cli_push_default_graph_appends(oxigraph, tiny_export):
    before = count(oxigraph, None)
    proc = cli("push", tiny_export, "--endpoint", f"{oxigraph}/store")
    assert proc.returncode == 0, proc.stderr
    assert "added to the default graph" in " ".join(proc.stderr.split())
    assert count(oxigraph, None) == before + triples(tiny_export)


def test_cli_push_http_error_names_url_and_status(oxigraph, tiny_export):
    proc = cli("push", tiny_export, "--endpoint", f"{oxigraph}/no-such-service", "--graph", GRAPH)
    message = " ".join(proc.stderr.split())
    assert proc.returncode == 2 and "Traceback" not in message
    assert f"{oxigraph}/no-such-service?graph=" in message and "HTTP 404" in message


def test_push_bad_payload_reports_the_server_message(oxigraph, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> this is not turtle")
    with pytest.raises(ExportError, match=r"HTTP 400.*") as caught:
        push_rdf(bad, f"{oxigraph}/store", graph=GRAPH + "/bad")
    assert f"{oxigraph}/store?graph=" in str(caught.value)


def test_push_unreachable_endpoint(tiny_export):
    port = _free_port()  # nothing listens there
    with pytest.raises(ExportError, match=f"cannot reach the graph store at http://127.0.0.1:{port}/store"):
        push_rdf(tiny_export, f"http://127.0.0.1:{port}/store", timeout=5)


def test_push_refuses_quads_and_unknown_files(tmp_path):
    for name, message in (("g.nq", "quads"), ("g.txt", "RDF format"), ("missing.ttl", "does not exist")):
        path = tmp_path / name
        if name != "missing.ttl":
            path.write_text("")
        with pytest.raises(InputError, match=message):
            push_rdf(path, "http://127.0.0.1:1/store")


def test_graph_store_url_validates():
    assert graph_store_url("http://h/store?x=1", "urn:g") == "http://h/store?x=1&graph=urn%3Ag"
    with pytest.raises(ExportError, match="http"):
        graph_store_url("ftp://h/store")
    with pytest.raises(ExportError, match="absolute IRI"):
        graph_store_url("http://h/store", "not an iri")
