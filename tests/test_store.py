"""Tests of paperkg.store, parameter binding and the store commands of the CLI.

Every canned query is checked on the real sample build against rows computed directly from
the networkx graph (an independent oracle), through the Python API and through the CLI.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from paperkg.errors import ExportError, InputError, QueryError
from paperkg.query import bind_params, list_queries, load_query, run_query
from paperkg.store import (
    NotAcceptable,
    answer_query,
    is_store,
    open_sources,
    open_store,
    write_store,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: Parameter values that try to break out of the string literal they are bound as.
INJECTIONS = [
    'x" } DROP ALL ; #',
    "x' } DROP ALL ; #",
    'VAE" } UNION { ?e ?p ?name } #',
    '" . } } INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "\\u0022 } DROP ALL #",
    "\\\\\" } DROP ALL #",
    'VAE"@en',
    'VAE"^^<http://www.w3.org/2001/XMLSchema#string>',
    "a\nb\r\"",
    '"""',
    "} LIMIT 0 #",
    "?name",
]


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "paperkg", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="session")
def store(sample_store) -> ox.Store:
    return open_store(sample_store)


# --- an oracle: what each canned query must answer, computed from the networkx graph -------


class Oracle:
    """Expected rows of the canned queries, straight from the graph (paperkg/graph.py contract)."""

    def __init__(self, G):
        self.G = G
        self.entities = {n: d for n, d in G.nodes(data=True) if d.get("kind") == "entity"}
        self.papers = {n: d for n, d in G.nodes(data=True) if d.get("kind") == "paper"}
        self.by_id = {d["id"]: n for n, d in self.papers.items()}

    def named(self, name: str) -> set:
        key = name.lower()
        return {n for n, d in self.entities.items() if any(x.lower() == key for x in [d["label"], *d.get("aliases", [])])}

    def edges(self, key: str):
        return [(u, v, d) for u, v, k, d in self.G.edges(keys=True, data=True) if k == key]

    def year(self, node) -> int | None:
        d = self.papers[node]
        date = d.get("date")
        if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            return int(date[:4])
        year = d.get("year")
        return year if isinstance(year, int) and 1 <= year <= 9999 else None

    def support(self, data, papers) -> int:
        s = data.get("support")
        return s if isinstance(s, int) and not isinstance(s, bool) and s >= 1 else max(1, len(papers))

    def label(self, n) -> str:
        return self.entities[n]["label"]

    def mentioned_by(self, p) -> set:
        return {v for _, v, k in self.G.out_edges(p, keys=True) if k == "mentions"}

    def mentioning(self, entities) -> set:
        return {u for u, v, _ in self.edges("mentions") if v in entities}

    # one method per canned query, with the query's parameters as keyword arguments
    def aliases_of(self, entity="VAE"):
        rows = set()
        for e in self.named(entity):
            d = self.entities[e]
            aliases = [a for a in d.get("aliases", []) if a and a != d["label"]]
            rows |= {(d["label"], d["type"], a) for a in aliases} or {(d["label"], d["type"], None)}
        return rows

    def co_mentioned_with(self, entity="VAE"):
        papers = defaultdict(set)
        for e in self.named(entity):
            for p in self.mentioning({e}):
                for o in self.mentioned_by(p) - {e}:
                    papers[o].add(p)
        return {(self.label(o), self.entities[o]["type"], len(ps)) for o, ps in papers.items()}

    def compared_with(self, entity="GAN"):
        papers = defaultdict(set)
        for e in self.named(entity):
            for u, v, d in self.edges("comparedWith"):
                for here, there in ((u, v), (v, u)):
                    if here == e and there != e:
                        papers[there] |= {item["paper"] for item in d.get("evidence") or ()}
        return {(self.label(o), len(ps)) for o, ps in papers.items()}

    def _relation(self, key, start_type, named, forward):
        rows = set()
        for x in self.named(named):
            if self.entities[x]["type"] != start_type:
                continue
            for u, v, d in self.edges(key):
                if (u if forward else v) == x:
                    support = self.support(d, {item["paper"] for item in d.get("evidence") or ()})
                    rows.add((u, v, support))
        return rows

    def datasets_for_method(self, method="VAE"):
        return {(self.label(v), self.label(u), s) for u, v, s in self._relation("evaluatedOn", "Method", method, True)}

    def methods_on_dataset(self, dataset="CIFAR-10"):
        return {(self.label(u), self.label(v), s) for u, v, s in self._relation("evaluatedOn", "Dataset", dataset, False)}

    def methods_for_task(self, task="image generation"):
        return {(self.label(u), self.label(v), s) for u, v, s in self._relation("usedFor", "Task", task, False)
                if self.entities[u]["type"] == "Method"}

    def entity_counts(self):
        count, mentions = defaultdict(int), defaultdict(int)
        for d in self.entities.values():
            count[d["type"]] += 1
            mentions[d["type"]] += d["mention_count"]
        return {(t, count[t], mentions[t]) for t in count}

    def entity_papers(self, entity="CIFAR-10"):
        spans = defaultdict(set)
        for u, v, d in self.edges("mentions"):
            if v in self.named(entity):
                spans[u] |= {(item["field"], item["start"], item["end"], v) for item in d.get("evidence") or ()}
        return {(self.papers[p]["id"], self.year(p), self.papers[p]["title"], len(s)) for p, s in spans.items() if s}

    def entity_trend(self, entity="GAN"):
        years = defaultdict(set)
        for p in self.mentioning(self.named(entity)):
            if self.year(p) is not None:
                years[self.year(p)].add(p)
        return {(y, len(ps)) for y, ps in years.items()}

    def isa_hierarchy(self, entity=None):
        isa = defaultdict(set)
        for u, v, _ in self.edges("isA"):
            isa[u].add(v)
        starts = self.named(entity) if entity is not None else set(isa)
        rows = set()
        for e in starts & set(isa):
            seen, todo = set(), list(isa[e])
            while todo:
                b = todo.pop()
                if b not in seen:
                    seen.add(b)
                    todo.extend(isa.get(b, ()))
            rows |= {(self.label(e), self.label(b), b in isa[e]) for b in seen}
        return rows

    def paper_proposes(self, paper=None):
        return {(self.papers[u]["id"], self.papers[u]["title"], self.label(v), self.entities[v]["type"])
                for u, v, _ in self.edges("proposes") if paper is None or self.papers[u]["id"] == paper}

    def papers_mentioning_both(self, a="VAE", b="CIFAR-10"):
        both = self.mentioning(self.named(a)) & self.mentioning(self.named(b))
        return {(self.papers[p]["id"], self.year(p), self.papers[p]["title"]) for p in both}

    def relation_evidence(self, entity="β-VAE"):
        rows = set()
        named = self.named(entity)
        for u, v, key, d in self.G.edges(keys=True, data=True):
            if key == "mentions" or not (u in named or v in named):
                continue
            for item in d.get("evidence") or ():
                paper = u if key == "proposes" else self.by_id[item["paper"]]
                papers = {self.papers[u]["id"]} if key == "proposes" else {i["paper"] for i in d["evidence"]}
                subject = self.papers[u]["title"] if key == "proposes" else self.label(u)
                text = self.papers[paper][item["field"]]
                rows.add((subject, key, self.label(v), self.support(d, papers), self.papers[paper]["id"],
                          text[item["start"]:item["end"]]))
        return rows

    def top_entities_by_type(self, type="Method"):
        chosen = [d for d in self.entities.values() if type is None or d["type"].lower() == type.lower()]
        chosen.sort(key=lambda d: (-d["paper_count"], -d["mention_count"], d["label"]))
        return [(d["label"], d["type"], d["paper_count"], d["mention_count"]) for d in chosen[:20]]

    def expected(self, name: str, params: dict | None = None):
        return getattr(self, name.replace("-", "_"))(**(params or {}))


@pytest.fixture(scope="session")
def oracle(sample_build) -> Oracle:
    return Oracle(sample_build.graph)


def _cases(oracle: Oracle) -> list[tuple[str, dict]]:
    """Each canned query with its defaults, plus parameters that give non-empty answers."""
    G = oracle
    cases = [(q.name, {}) for q in list_queries()]
    busiest = lambda key, end: max(  # noqa: E731 - the entity with most `key` edges at `end`
        G.entities, key=lambda n: (sum(1 for e in G.edges(key) if e[end] == n), G.label(n)))
    method, dataset = busiest("evaluatedOn", 0), busiest("evaluatedOn", 1)
    task, compared = busiest("usedFor", 1), busiest("comparedWith", 1)
    first_paper = sorted(G.papers[u]["id"] for u, _, _ in G.edges("proposes"))[0]
    narrower = sorted(G.label(u) for u, _, _ in G.edges("isA"))[0]
    cases += [
        ("datasets-for-method", {"method": G.label(method).upper()}),
        ("methods-on-dataset", {"dataset": G.label(dataset).lower()}),
        ("methods-for-task", {"task": G.label(task)}),
        ("compared-with", {"entity": G.label(compared)}),
        ("relation-evidence", {"entity": G.label(method)}),
        ("paper-proposes", {"paper": first_paper}),
        ("isa-hierarchy", {"entity": narrower}),
        ("top-entities-by-type", {"type": "dataset"}),
        ("top-entities-by-type", {"type": None}),
        ("aliases-of", {"entity": "vaes"}),
        ("papers-mentioning-both", {"a": G.label(method), "b": G.label(dataset)}),
    ]
    return cases


def _compare(name, rows, expected):
    if isinstance(expected, list):  # ORDER BY … LIMIT: the order is part of the answer
        assert rows == expected
    else:
        assert len(rows) == len(set(rows)), "duplicate rows"
        assert set(rows) == expected


def test_every_canned_query_matches_the_graph_through_the_api(store, oracle):
    cases = _cases(oracle)
    assert {name for name, _ in cases} == {q.name for q in list_queries()}
    nonempty = set()
    for name, params in cases:
        rows = run_query(store, load_query(name), params=params).rows
        _compare(name, rows, oracle.expected(name, params))
        if rows:
            nonempty.add(name)
    # every query is exercised with an answer that has rows
    assert nonempty == {q.name for q in list_queries()}


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_canned_query_through_the_cli_equals_the_api(sample_store, store, name):
    proc = cli("query", "--store", sample_store, "--name", name, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    api = run_query(store, load_query(name)).to_records()
    assert json.loads(proc.stdout) == api


def test_cli_query_param_binds_the_value(sample_store, oracle):
    proc = cli("query", "--store", sample_store, "-n", "aliases-of", "--param", "entity=vaes", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "entity,type,alias"
    assert {tuple(line.split(",")) for line in lines[1:]} == {
        tuple("" if x is None else x for x in row) for row in oracle.aliases_of("vaes")
    }


def test_cli_query_unknown_param_lists_the_valid_ones(sample_store):
    proc = cli("query", "--store", sample_store, "-n", "papers-mentioning-both", "-p", "c=GAN")
    message = " ".join(proc.stderr.split())  # the console wraps long lines
    assert proc.returncode == 2 and "Traceback" not in message
    assert "no parameter 'c'; its parameters are: a, b" in message


def test_cli_query_param_without_value_unsets_it(sample_store, oracle):
    proc = cli("query", "--store", sample_store, "-n", "top-entities-by-type", "-p", "type", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert [tuple(r.values()) for r in json.loads(proc.stdout)] == oracle.top_entities_by_type(None)


def test_cli_query_sparql_json_is_sparql_results(sample_store, store):
    proc = cli("query", "--store", sample_store, "-n", "entity-counts", "--format", "sparql-json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["head"]["vars"] == ["type", "entities", "totalMentions"]
    first = data["results"]["bindings"][0]
    assert first["entities"]["type"] == "literal"
    assert first["entities"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    expected = run_query(store, load_query("entity-counts")).rows
    assert [(b["type"]["value"], int(b["entities"]["value"])) for b in data["results"]["bindings"]] == [
        row[:2] for row in expected
    ]


def test_cli_query_sparql_json_refuses_construct(sample_store):
    proc = cli("query", "--store", sample_store, "-e", "CONSTRUCT WHERE { ?s a pkg:Method } LIMIT 1",
               "--format", "sparql-json")
    assert proc.returncode == 2 and "SELECT and ASK" in " ".join(proc.stderr.split())


def test_cli_query_on_files_and_store_agree(sample_build, sample_store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    on_file = cli("query", sample_build.files["ttl"], "-e", query, "--format", "csv")
    on_store = cli("query", "--store", sample_store, "-e", query, "--format", "csv")
    assert on_file.returncode == on_store.returncode == 0
    assert on_file.stdout == on_store.stdout


def test_cli_query_store_and_files_together_is_an_error(sample_build, sample_store):
    proc = cli("query", sample_build.files["ttl"], "--store", sample_store, "-n", "entity-counts")
    assert proc.returncode == 2 and "not both" in " ".join(proc.stderr.split())


def test_cli_query_list_shows_parameters():
    proc = cli("query", "--list")
    assert proc.returncode == 0
    assert "--param dataset=…" in proc.stdout and "default: CIFAR-10" in proc.stdout
    assert "--param paper=…" in proc.stdout and "unset: no filter" in proc.stdout


# --- injection probes --------------------------------------------------------------------


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_probe_is_only_a_string(store, sample_store, value):
    size = len(store)
    for query in list_queries():
        for param in query.params:
            assert run_query(store, query, params={param.name: value}).rows == [], (query.name, param.name)
    assert len(open_store(sample_store)) == size  # nothing changed


def test_injection_probe_through_the_cli_changes_nothing(sample_store):
    before = cli("query", "--store", sample_store, "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").stdout
    proc = cli("query", "--store", sample_store, "-n", "aliases-of", "-p", 'entity=x" } DROP ALL ; #')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2:] == []  # header and rule only
    after = cli("query", "--store", sample_store, "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").stdout
    assert before == after and before.split()[-1] != "0"


def test_bind_params_writes_an_escaped_literal():
    q = bind_params(load_query("entity-trend"), {"entity": 'a"b\\c\nd'})
    assert 'VALUES ?param_entity { "a\\"b\\\\c\\nd" }' in q.text
    assert q.text.count("VALUES ?param_entity") == 1


def test_bind_params_value_looking_like_another_block_is_still_one_string():
    # the value for `a` mimics the block of `b`: positions come from the original text
    q = bind_params(load_query("papers-mentioning-both"), {"a": 'VALUES ?param_b { 1 }', "b": "GAN"})
    assert 'VALUES ?param_a { "VALUES ?param_b { 1 }" }' in q.text
    assert 'VALUES ?param_b { "GAN" }' in q.text


def test_bind_params_none_is_undef_and_unknown_names_are_listed():
    q = bind_params(load_query("top-entities-by-type"), {"type": None})
    assert "VALUES ?param_type { UNDEF }" in q.text
    with pytest.raises(QueryError, match="its parameters are: type"):
        bind_params(q, {"kind": "Method"})
    with pytest.raises(QueryError, match="takes no parameters"):
        bind_params(load_query("entity-counts"), {"x": "1"})


def test_bind_params_keeps_the_default_datatype():
    text = "# title: T\n# param: n  (a number; default: 3)\nSELECT ?v WHERE { VALUES ?param_n { 3 } BIND (?param_n AS ?v) }"
    store = ox.Store()
    assert run_query(store, text, params={"n": "42"}).rows == [(42,)]
    with pytest.raises(QueryError, match="xsd:integer"):
        bind_params(text, {"n": "4 } DROP ALL #"})


def test_bind_params_rejects_invalid_unicode():
    with pytest.raises(QueryError, match="not valid Unicode"):
        bind_params(load_query("aliases-of"), {"entity": "\ud800"})


# --- write_store / open_store ------------------------------------------------------------


def _nt(path: Path, *labels: str) -> Path:
    lines = [f'<https://e.org/{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> "{label}" .\n'
             for i, label in enumerate(labels)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _labels(directory: Path) -> set[str]:
    store = open_store(directory)
    return {s["l"].value for s in store.query("SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")}


def test_write_store_replaces_or_appends(tmp_path):
    a, b = _nt(tmp_path / "a.nt", "A"), _nt(tmp_path / "b.ttl", "B")
    target = tmp_path / "store"
    assert write_store([a], target) == 1 and is_store(target)
    assert write_store([b], target) == 1 and _labels(target) == {"B"}
    assert write_store([a], target, append=True) == 2
    assert _labels(target) == {"A", "B"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no scratch left


def test_write_store_failed_load_keeps_the_old_store(tmp_path):
    target = tmp_path / "store"
    write_store([_nt(tmp_path / "a.nt", "A")], target)
    bad = tmp_path / "bad.ttl"
    bad.write_text('<a> <b> "unterminated .')
    with pytest.raises(InputError, match="bad.ttl"):
        write_store([bad], target, append=True)
    with pytest.raises(InputError, match="bad.ttl"):
        write_store([bad], target)
    assert _labels(target) == {"A"}


def test_write_store_refuses_a_foreign_directory(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not a paperkg store"):
        write_store([_nt(tmp_path / "a.nt", "A")], tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_write_store_missing_or_unknown_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_store([tmp_path / "nope.ttl"], tmp_path / "s")
    (tmp_path / "x.txt").write_text("")
    with pytest.raises(InputError, match=r"\.ttl"):
        write_store([tmp_path / "x.txt"], tmp_path / "s")


def test_open_store_and_sources_errors(tmp_path):
    with pytest.raises(InputError, match="paperkg load"):
        open_store(tmp_path)
    with pytest.raises(InputError, match="no RDF source"):
        open_sources(None, [])


def test_answer_query_formats(store):
    select = "SELECT ?n WHERE { VALUES ?n { 1 2 } }"
    assert answer_query(store, select, accept=["text/csv"]).body == b"n\r\n1\r\n2\r\n"
    tsv = answer_query(store, select, accept=["text/tab-separated-values"])
    assert tsv.media_type == "text/tab-separated-values" and tsv.body.splitlines()[0] == b"?n"
    xml = answer_query(store, select, accept=["application/xml"])
    assert xml.media_type == "application/sparql-results+xml" and b"<sparql" in xml.body
    ask = answer_query(store, "ASK { ?s a pkg:Paper }", accept=["*/*"])
    assert ask.kind == "ask" and json.loads(ask.body) == {"head": {}, "boolean": True}
    graph = answer_query(store, "CONSTRUCT WHERE { ?s a pkg:Metric } LIMIT 2", accept=["text/csv", "application/n-triples"])
    assert graph.kind == "construct" and graph.media_type == "application/n-triples"
    assert len(list(ox.parse(graph.body, format=ox.RdfFormat.N_TRIPLES))) == 2
    with pytest.raises(NotAcceptable, match="text/turtle"):
        answer_query(store, "CONSTRUCT WHERE { ?s a pkg:Metric }", accept=["text/csv"])


# --- load and build --store through the CLI ----------------------------------------------


def test_cli_load_then_query(tmp_path, sample_build):
    target = tmp_path / "store"
    proc = cli("load", sample_build.files["ttl"], "--store", target)
    assert proc.returncode == 0, proc.stderr
    assert "triples in the store" in proc.stderr
    extra = _nt(tmp_path / "extra.nt", "an extra label")
    assert cli("load", extra, "--store", target).returncode == 0
    proc = cli("query", "--store", target, "-e", 'ASK { ?s skos:prefLabel "an extra label" }', "--format", "csv")
    assert proc.stdout.splitlines()[1] == "true"
    assert cli("load", extra, "--store", target, "--replace").returncode == 0
    proc = cli("query", "--store", target, "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert proc.stdout.splitlines()[1] == "1"


def test_cli_load_missing_file_is_a_clear_error(tmp_path):
    proc = cli("load", tmp_path / "nope.ttl", "--store", tmp_path / "store")
    assert proc.returncode == 2 and "nope.ttl" in proc.stderr and "Traceback" not in proc.stderr


def test_run_build_store_writes_a_queryable_store(tmp_path, extractor):
    from paperkg.build import run_build

    result = run_build([FIXTURES / "ingest" / "papers.jsonl"], out_dir=tmp_path / "out", extractor=extractor,
                       outputs=("report",), store=tmp_path / "store")
    assert result.files["store"] == tmp_path / "store"
    assert json.loads((tmp_path / "out" / "report.json").read_text())["files"]["store"] == "store"
    papers = sum(1 for _, d in result.graph.nodes(data=True) if d.get("kind") == "paper")
    rows = run_query(open_store(tmp_path / "store"), "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Paper }").rows
    assert rows == [(papers,)]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.json"]  # no temporary export left


def test_cli_build_store_option(tmp_path):
    out, target = tmp_path / "out", tmp_path / "store"
    proc = cli("build", FIXTURES / "ingest" / "papers.jsonl", "--out", out, "--store", target, "-q",
               "--skip", "html", "--skip", "graphml")
    assert proc.returncode == 0, proc.stderr
    assert is_store(target) and f"wrote {target}" in proc.stderr.replace("\n", "")
    on_store = run_query(open_store(target), load_query("entity-counts")).rows
    assert on_store == run_query(out / "graph.ttl", load_query("entity-counts")).rows


def test_cli_error_quoting_markup_like_input_stays_plain_text(sample_store):
    proc = cli("query", "--store", sample_store, "-n", "aliases-of", "-p", "[/x]=1")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no parameter '[/x]'" in proc.stderr


def test_open_store_in_memory_copy_answers_like_the_disk_store(tmp_path, sample_build):
    # the in-memory copy that `paperkg serve` workers hold gives the same answers
    from paperkg.query import load_query, run_query
    from paperkg.store import open_store, write_store

    write_store([sample_build.files["ttl"]], tmp_path / "store")
    disk = open_store(tmp_path / "store")
    memory = open_store(tmp_path / "store", in_memory=True)
    assert len(memory) == len(disk) > 1000
    query = load_query("methods-on-dataset")
    assert run_query(memory, query).rows == run_query(disk, query).rows
