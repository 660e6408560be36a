"""The real `paperkg` command, run as a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "paperkg", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    proc = run("build", FIXTURES / "ingest" / "papers.jsonl", "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_cli_build_writes_outputs_and_summary(built):
    out, proc = built
    assert {p.name for p in out.iterdir()} == {"graph.ttl", "graph.html", "graph.graphml", "report.json"}
    assert "papers read:" in proc.stderr and "entities:" in proc.stderr and "wrote" in proc.stderr


def test_cli_query_named_and_formats(built):
    out, _ = built
    proc = run("query", out / "graph.ttl", "--name", "top-entities-by-type", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert isinstance(json.loads(proc.stdout), list)
    proc = run("query", out / "graph.ttl", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert proc.returncode == 0 and proc.stdout.splitlines()[0].strip() == "n"


def test_cli_query_bad_sparql_is_a_clear_error(built):
    out, _ = built
    proc = run("query", out / "graph.ttl", "-e", "SELEC nothing")
    assert proc.returncode == 2 and "error:" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_extract_writes_the_jsonl_contract(tmp_path):
    target = tmp_path / "mentions.jsonl"
    proc = run("extract", FIXTURES / "ingest" / "papers.jsonl", "-o", target, "-q")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert records and set(records[0]) == {"id", "title", "entities", "mentions", "relations"}
    ids = {e["id"] for e in records[0]["entities"]}
    assert all(m["entity"] in ids for m in records[0]["mentions"])


def test_cli_stats_prints_headlines(built):
    out, _ = built
    proc = run("stats", out / "graph.graphml")
    assert proc.returncode == 0, proc.stderr
    assert "papers" in proc.stderr and "top Method" in proc.stdout


def test_cli_missing_input_names_the_file(tmp_path):
    proc = run("build", tmp_path / "nope.jsonl", "--out", tmp_path / "o", "-q")
    assert proc.returncode == 2
    assert "nope.jsonl" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_stats_and_html_on_a_missing_graph_are_clear_errors(tmp_path):
    for args in (("stats", tmp_path / "none.graphml"), ("html", tmp_path / "none.graphml", "-o", tmp_path / "x.html")):
        proc = run(*args)
        assert proc.returncode == 2
        assert "none.graphml" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_min_confidence_needs_the_model_and_a_probability(tmp_path):
    proc = run("build", FIXTURES / "ingest" / "papers.jsonl", "--out", tmp_path, "--min-confidence", "0.9")
    assert proc.returncode == 2 and "use it together with --model" in proc.stderr
    proc = run("extract", FIXTURES / "ingest" / "papers.jsonl", "--model", "--min-confidence", "1.5")
    assert proc.returncode == 2 and "between 0 and 1" in proc.stderr
    assert not any(tmp_path.iterdir())


def test_cli_build_with_the_model_records_it_in_the_report(tmp_path):
    proc = run("build", FIXTURES / "ingest" / "papers.jsonl", "--out", tmp_path, "--quiet", "--skip", "html",
               "--model", "--min-confidence", "0.9")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["recognizer"] == {"model": "shipped", "min_confidence": 0.9}
    assert report["entities"] > 0
