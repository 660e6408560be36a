"""Tests of paperkg.query and of every shipped query in ontology/queries/."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from paperkg.errors import InputError, QueryError
from paperkg.export.rdf import write_rdf
from paperkg.query import (
    NamedQuery,
    QueryParam,
    QueryResult,
    list_queries,
    load_query,
    load_store,
    parse_query_header,
    run_query,
)

sys.path.insert(0, str(Path(__file__).parent))
from graphs import EVIL_ID, EVIL_TITLE, tiny_graph  # noqa: E402

P1, P2, P4 = "2301.00001", "10.1000/xyz-123", "2401.00004"
T1 = "Variational Autoencoders for Image Generation"
T2 = "β-VAE: Disentangled Image Generation"
T4 = "Diffusion Models Beat GANs on Image Generation"
VAE, GAN, BETA, DIFF = "variational autoencoder", "generative adversarial network", "β-VAE", "diffusion model"


@pytest.fixture(scope="module")
def turtle(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("query") / "graph.ttl"
    write_rdf(tiny_graph(), path)
    return path


@pytest.fixture(scope="module")
def store(turtle) -> ox.Store:
    return load_store(turtle)


def _rows(store: ox.Store, name: str) -> list[tuple]:
    return run_query(store, load_query(name)).rows


# --- every shipped query, with its default parameters, on tiny_graph ------------------------

EXPECTED = {
    "methods-on-dataset": [
        (DIFF, "CIFAR-10", 1), (GAN, "CIFAR-10", 1), (VAE, "CIFAR-10", 1), (BETA, "CIFAR-10", 1),
    ],
    "datasets-for-method": [("CIFAR-10", VAE, 1), ("CelebA", VAE, 1)],
    "paper-proposes": [(P2, T2, BETA, "Method"), (P1, T1, VAE, "Method")],
    "top-entities-by-type": [
        (VAE, "Method", 3, 7), (GAN, "Method", 3, 6), (BETA, "Method", 1, 3), (DIFF, "Method", 1, 2),
    ],
    "co-mentioned-with": [
        ("CIFAR-10", "Dataset", 3), ("CelebA", "Dataset", 2), ("FID", "Metric", 2), (GAN, "Method", 2),
        ("image generation", "Task", 2), ("ELBO", "Concept", 1), (BETA, "Method", 1),
    ],
    "aliases-of": [(VAE, "Method", "VAE"), (VAE, "Method", "VAEs")],
    "papers-mentioning-both": [(P2, 2022, T2), (P1, 2023, T1), (EVIL_ID, None, EVIL_TITLE)],
    "methods-for-task": [(DIFF, "image generation", 1), (VAE, "image generation", 1), (BETA, "image generation", 1)],
    "entity-papers": [(P2, 2022, T2, 1), (P1, 2023, T1, 1), (P4, 2024, T4, 1), (EVIL_ID, None, EVIL_TITLE, 1)],
    "isa-hierarchy": [(BETA, VAE, True)],
    "relation-evidence": [
        (BETA, "evaluatedOn", "CIFAR-10", 1, P2, "We evaluate β-VAE on CelebA and CIFAR-10 using FID."),
        (BETA, "evaluatedOn", "CelebA", 1, P2, "We evaluate β-VAE on CelebA and CIFAR-10 using FID."),
        (BETA, "isA", VAE, 1, P2, "β-VAE is a variant of the VAE."),
        (T2, "proposes", BETA, 1, P2, T2),
        (BETA, "usedFor", "image generation", 1, P2, T2),
    ],
    "compared-with": [(VAE, 2), (DIFF, 1)],
    "entity-trend": [(2023, 1), (2024, 1)],
    "entity-counts": [("Method", 4, 18), ("Dataset", 2, 6), ("Concept", 1, 1), ("Metric", 1, 3), ("Task", 1, 3)],
}


def test_queries_all_have_expected_rows():
    # a new query needs an expected result here
    assert sorted(q.name for q in list_queries()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_default_parameters_give_expected_rows(store, name):
    assert _rows(store, name) == EXPECTED[name]


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_query_header_documents_every_values_parameter(query):
    # the header is machine-readable and matches the VALUES ?param_x blocks of the body
    assert query.title and query.description
    in_body = set(re.findall(r"VALUES\s+\?param_(\w+)", query.text))
    assert {p.name for p in query.params} == in_body
    for param in query.params:
        assert param.description
        block = re.search(rf"VALUES\s+\?param_{param.name}\s*\{{\s*(.*?)\s*\}}", query.text).group(1)
        assert block == ("UNDEF" if param.default is None else f'"{param.default}"')


def _with_param(name: str, param: str, value: str) -> NamedQuery:
    query = load_query(name)
    text = re.sub(rf'(VALUES\s+\?param_{param}\s*\{{)[^}}]*\}}', rf'\1 "{value}" }}', query.text)
    return NamedQuery(query.name, text, query.path, query.title, query.description, query.params)


def test_query_alias_match_is_case_insensitive(store):
    # "vaes" (an alias, other case) finds the variational autoencoder
    rows = run_query(store, _with_param("datasets-for-method", "method", "vaes")).rows
    assert rows == EXPECTED["datasets-for-method"]
    assert run_query(store, _with_param("methods-on-dataset", "dataset", "celeba")).rows == [
        (VAE, "CelebA", 1), (BETA, "CelebA", 1),
    ]


def test_query_paper_proposes_for_one_paper(store):
    assert run_query(store, _with_param("paper-proposes", "paper", P1)).rows == [(P1, T1, VAE, "Method")]


def test_query_top_entities_of_other_type(store):
    assert run_query(store, _with_param("top-entities-by-type", "type", "dataset")).rows == [
        ("CIFAR-10", "Dataset", 4, 4), ("CelebA", "Dataset", 2, 2),
    ]


def test_query_relation_evidence_of_hostile_paper_is_literal(store):
    rows = run_query(store, _with_param("relation-evidence", "entity", "GAN")).rows
    assert (GAN, "evaluatedOn", "CIFAR-10", 1, EVIL_ID,
            "Generative adversarial networks (GANs) are compared with VAEs on CIFAR-10.") in rows


def test_query_injection_in_parameter_value_is_only_a_string(store):
    # a hostile value can only fail to match; it cannot change the query
    rows = run_query(store, _with_param("aliases-of", "entity", "x\\\" } DROP ALL ; #")).rows
    assert rows == []


# --- run_query ---------------------------------------------------------------------------


def test_run_query_select_plain_values(turtle):
    query = "SELECT ?e ?n ?u WHERE { ?e skos:prefLabel 'FID' ; pkg:paperCount ?n OPTIONAL { ?e pkg:nothing ?u } }"
    result = run_query(turtle, query)
    assert result.kind == "select"
    assert result.variables == ("e", "n", "u")
    assert result.rows == [("https://w3id.org/paperkg/id/entity/fid", 3, None)]


def test_run_query_ask(turtle):
    result = run_query(turtle, "ASK { ?p dcterms:identifier ?id FILTER(CONTAINS(?id, '<script>')) }")
    assert result.kind == "ask" and result.boolean is True
    assert result.rows == [(True,)]


def test_run_query_construct_to_turtle(turtle):
    result = run_query(turtle, "CONSTRUCT { ?m pkg:evaluatedOn ?d } WHERE { ?m pkg:evaluatedOn ?d }")
    assert result.kind == "construct" and len(result.triples) == 6
    turtle_text = result.to_turtle()
    assert "pkg:evaluatedOn" in turtle_text
    assert len(list(ox.parse(turtle_text.encode(), format=ox.RdfFormat.TURTLE))) == 6


def test_run_query_several_sources(tmp_path, turtle):
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://example.org/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "extra" .\n')
    rows = run_query([turtle, extra], "SELECT (COUNT(*) AS ?n) WHERE { ?e skos:prefLabel ?l }").rows
    assert rows == [(10,)]


def test_run_query_syntax_error_names_query(store):
    with pytest.raises(QueryError, match="<inline query>.*not valid SPARQL"):
        run_query(store, "SELEC ?x WHERE { ?x ?p ?o }")
    broken = NamedQuery("my-query", "SELECT ?x WHERE { ?x ?p }")
    with pytest.raises(QueryError, match="my-query"):
        run_query(store, broken)


def test_run_query_rejects_updates(store):
    with pytest.raises(QueryError):
        run_query(store, "DROP ALL")
    assert len(store) > 0


def test_run_query_missing_source_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        run_query(tmp_path / "nope.ttl", "ASK {}")


def test_run_query_unknown_extension_raises_input_error(tmp_path):
    path = tmp_path / "graph.txt"
    path.write_text("")
    with pytest.raises(InputError, match=r"\.ttl"):
        run_query(path, "ASK {}")


def test_run_query_unparsable_source_raises_input_error(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> \"unterminated .")
    with pytest.raises(InputError, match="bad.ttl"):
        run_query(path, "ASK {}")


# --- QueryResult renderings ----------------------------------------------------------------


def _result() -> QueryResult:
    return QueryResult("select", ("name", "n", "note"), [("a,\"b\"", 1, None), ("x\ny\x1b[31m", 22, "ok")])


def test_query_result_to_csv_round_trips():
    rows = list(csv.reader(io.StringIO(_result().to_csv())))
    assert rows == [["name", "n", "note"], ['a,"b"', "1", ""], ["x\ny\x1b[31m", "22", "ok"]]


def test_query_result_to_json_records():
    assert json.loads(_result().to_json()) == [
        {"name": 'a,"b"', "n": 1, "note": None},
        {"name": "x\ny\x1b[31m", "n": 22, "note": "ok"},
    ]
    assert _result().to_records()[1]["n"] == 22


def test_query_result_to_table_escapes_control_characters():
    table = _result().to_table()
    assert "\x1b" not in table and table.count("\n") == 3  # header, rule, two rows
    assert "x\\ny\\x1b[31m" in table
    assert table.splitlines()[2].startswith('a,"b"') and " 1" in table.splitlines()[2]


def test_query_result_to_table_truncates_long_cells():
    result = QueryResult("select", ("t",), [("x" * 100,)])
    assert result.to_table(max_width=10).splitlines()[2] == "x" * 9 + "…"


def test_query_result_to_rich_is_not_markup():
    from rich.console import Console

    result = QueryResult("select", ("t",), [("[bold red]hi[/]",)])
    console = Console(record=True, width=80, color_system=None)
    console.print(result.to_rich())
    assert "[bold red]hi[/]" in console.export_text()


def test_query_result_to_turtle_only_for_construct():
    with pytest.raises(QueryError, match="CONSTRUCT"):
        _result().to_turtle()


# --- loading queries ---------------------------------------------------------------------


def test_load_query_by_name_and_path():
    by_name = load_query("methods-on-dataset")
    assert by_name.title == "Methods evaluated on a dataset"
    assert by_name.params == (
        QueryParam("dataset", "label or alias of a Dataset, matched case-insensitively", "CIFAR-10"),
    )
    assert load_query(by_name.path).text == by_name.text
    assert load_query("methods-on-dataset.rq").name == "methods-on-dataset"


def test_load_query_unknown_name_lists_available():
    with pytest.raises(QueryError, match="methods-on-dataset"):
        load_query("no-such-query")
    with pytest.raises(QueryError):
        load_query("queries/methods-on-dataset")  # a name is never a path inside the queries dir


def test_parse_query_header_undef_default_and_stop_at_body():
    text = "# title: T\n# param: p  (doc; default: UNDEF)\nSELECT * {}\n# title: not header"
    assert parse_query_header(text) == ("T", "", (QueryParam("p", "doc", None),))
