"""Tests of paperkg.export.rdf: triples, IRIs, serialisation, SHACL conformance."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from paperkg.errors import ExportError
from paperkg.export.rdf import (
    DEFAULT_BASE_IRI,
    entity_iri,
    paper_iri,
    rdf_prefixes,
    to_rdflib,
    to_triples,
    write_rdf,
)
from paperkg.namespace import PKG, ontology_file

sys.path.insert(0, str(Path(__file__).parent))
from graphs import EVIL, EVIL_ABSTRACT, EVIL_AUTHOR, EVIL_ID, EVIL_TITLE, P1, P2, tiny_graph  # noqa: E402

# plain Namespaces: pytest probes module attributes, and rdflib's DefinedNamespaces warn on that
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SDO = rdflib.Namespace("https://schema.org/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
MINTED = re.compile(
    re.escape(DEFAULT_BASE_IRI) + r"(paper|entity|mention|span|assertion|activity|agent)/[a-z0-9][a-z0-9-]*$"
)


@pytest.fixture(scope="module")
def turtle(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rdf") / "graph.ttl"
    write_rdf(tiny_graph(), path)
    return path


@pytest.fixture(scope="module")
def graph(turtle) -> rdflib.Graph:
    return rdflib.Graph().parse(turtle, format="turtle")


def _paper(graph: rdflib.Graph, paper_id: str) -> rdflib.URIRef:
    (node,) = graph.subjects(DCTERMS.identifier, rdflib.Literal(paper_id))
    return node


def _entity(graph: rdflib.Graph, label: str) -> rdflib.URIRef:
    (node,) = graph.subjects(SKOS.prefLabel, rdflib.Literal(label))
    return node


# --- parsing and validation ---------------------------------------------------------------


def test_write_rdf_turtle_parses_with_rdflib_and_pyoxigraph(turtle, graph):
    parsed = list(ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE))
    assert len(parsed) == len(graph) == len(to_triples(tiny_graph()))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's JSON-LD parser
@pytest.mark.parametrize("format", ["ntriples", "rdfxml", "jsonld"])
def test_write_rdf_other_formats_parse_back_to_same_graph(tmp_path, graph, format):
    suffix = {"ntriples": ".nt", "rdfxml": ".rdf", "jsonld": ".jsonld"}[format]
    path = tmp_path / f"graph{suffix}"
    write_rdf(tiny_graph(), path, format=format)
    rdflib_format = {"ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}[format]
    other = rdflib.Graph().parse(path, format=rdflib_format)
    assert isomorphic(other, graph)


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_write_rdf_conforms_to_shapes(graph, inference):
    pyshacl = pytest.importorskip("pyshacl")
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes, inference=inference)
    assert conforms, report


def test_write_rdf_conforms_to_shapes_with_ontology(graph):
    # RDFS inference over the ontology (e.g. pkg:evidence ⊑ prov:wasDerivedFrom) stays valid
    pyshacl = pytest.importorskip("pyshacl")
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    ontology = rdflib.Graph().parse(ontology_file("paperkg.ttl"))
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    assert conforms, report


def _violations(graph: rdflib.Graph) -> str:
    import pyshacl

    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"))
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes)
    assert not conforms
    return report


def test_shapes_reject_paper_without_title(graph):
    broken = rdflib.Graph() + graph
    broken.remove((_paper(broken, P1["id"]), DCTERMS.title, None))
    assert "dcterms:title" in _violations(broken) or str(DCTERMS.title) in _violations(broken)


def test_shapes_reject_entity_with_two_types(graph):
    broken = rdflib.Graph() + graph
    broken.add((_entity(broken, "CIFAR-10"), RDF.type, PKG.Method))
    assert "QualifiedValueShape" in _violations(broken) or "qualified" in _violations(broken).lower()


def test_shapes_reject_evaluated_on_from_a_dataset(graph):
    broken = rdflib.Graph() + graph
    broken.add((_entity(broken, "CIFAR-10"), PKG.evaluatedOn, _entity(broken, "CelebA")))
    assert "Method" in _violations(broken)


def test_shapes_reject_mention_with_start_after_end(graph):
    broken = rdflib.Graph() + graph
    mention = next(broken.subjects(RDF.type, PKG.Mention))
    broken.set((mention, PKG.startOffset, rdflib.Literal(10_000)))
    assert "LessThan" in _violations(broken)


def test_shapes_reject_bad_field_and_zero_support(graph):
    broken = rdflib.Graph() + graph
    mention = next(broken.subjects(RDF.type, PKG.Mention))
    broken.set((mention, PKG.field, rdflib.Literal("body")))
    assertion = next(broken.subjects(RDF.type, PKG.RelationAssertion))
    broken.set((assertion, PKG.support, rdflib.Literal(0)))
    report = _violations(broken)
    assert "InConstraint" in report and "MinInclusive" in report


# --- untrusted text -------------------------------------------------------------------------


def test_to_triples_user_text_round_trips_as_literals(graph):
    paper = _paper(graph, EVIL_ID)  # the hostile id is found back exactly, as a literal
    assert graph.value(paper, DCTERMS.title) == rdflib.Literal(EVIL_TITLE)
    assert graph.value(paper, DCTERMS.abstract) == rdflib.Literal(EVIL_ABSTRACT)
    assert graph.value(paper, DCTERMS.creator) == rdflib.Literal(EVIL_AUTHOR)
    hostile = ("<script>", "DROP ALL", '"', ">", "\n", "β")
    for s, p, o in graph:
        for term in (s, p) + ((o,) if isinstance(o, rdflib.URIRef) else ()):
            assert not any(h in str(term) for h in hostile), term


def test_to_triples_user_text_round_trips_in_pyoxigraph(turtle):
    store = ox.Store()
    store.load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    rows = list(store.query(
        'SELECT ?id ?t ?a WHERE { ?p <http://purl.org/dc/terms/identifier> ?id ; '
        '<http://purl.org/dc/terms/title> ?t ; <http://purl.org/dc/terms/abstract> ?a }',
        substitutions={ox.Variable("id"): ox.Literal(EVIL_ID)},
    ))
    assert [(r["t"].value, r["a"].value) for r in rows] == [(EVIL_TITLE, EVIL_ABSTRACT)]


def test_to_triples_iris_are_minted_from_slugs_and_hashes_only():
    for triple in to_triples(tiny_graph()):
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE_IRI):
                assert MINTED.match(term.value), term.value


def test_paper_iri_of_hostile_ids():
    for paper_id in ("x> <y", "a b", "", "ü/ß?#", EVIL_ID, "10.1000/xyz-123"):
        iri = paper_iri(paper_id)
        assert MINTED.match(iri), iri
        ox.NamedNode(iri)  # a valid IRI
    assert paper_iri("2301.00001") != paper_iri("2301-00001")  # same slug, different hash


def test_entity_iri_invalid_slug_is_hashed():
    assert entity_iri("cifar-10") == DEFAULT_BASE_IRI + "entity/cifar-10"
    for slug in ("CIFAR-10", "x> <y", "-a", "", "a" * 201):
        iri = entity_iri(slug)
        assert re.fullmatch(re.escape(DEFAULT_BASE_IRI) + r"entity/h-[0-9a-f]{16}", iri), iri


def test_to_triples_hostile_entity_slug_gets_hashed_iri():
    G = nx.MultiDiGraph(paperkg_version="0.1.0")
    G.add_node("entity:x> <y", kind="entity", id="x> <y", label="<b>x</b>", type="Concept",
               aliases=[], paper_count=1, mention_count=1)
    (subject,) = {t.subject.value for t in to_triples(G) if "/entity/" in t.subject.value}
    assert MINTED.match(subject)


# --- content -------------------------------------------------------------------------------


def test_to_triples_paper_metadata(graph):
    p1, p2, evil = _paper(graph, P1["id"]), _paper(graph, P2["id"]), _paper(graph, EVIL_ID)
    assert (p1, RDF.type, PKG.Paper) in graph
    assert graph.value(p1, DCTERMS.issued) == rdflib.Literal("2023-01-02", datatype=XSD.date)
    assert graph.value(p2, DCTERMS.issued) == rdflib.Literal("2022", datatype=XSD.gYear)
    assert graph.value(evil, DCTERMS.issued) is None
    assert sorted(map(str, graph.objects(p1, DCTERMS.creator))) == ["Ada Lovelace", "Alan Turing"]
    assert sorted(map(str, graph.objects(p1, SDO.keywords))) == ["cs.LG", "stat.ML"]
    assert graph.value(p1, SDO.url) == rdflib.Literal(P1["url"], datatype=XSD.anyURI)
    assert graph.value(p2, SDO.url) is None  # ftp: not exported
    assert graph.value(evil, SDO.url) is None  # javascript: not exported


def test_to_triples_entity_labels_types_and_counts(graph):
    vae = _entity(graph, "variational autoencoder")
    assert str(vae) == DEFAULT_BASE_IRI + "entity/variational-autoencoder"
    assert (vae, RDF.type, PKG.Method) in graph
    assert sorted(map(str, graph.objects(vae, SKOS.altLabel))) == ["VAE", "VAEs"]
    assert graph.value(vae, PKG.paperCount) == rdflib.Literal(3)
    assert graph.value(vae, PKG.mentionCount) == rdflib.Literal(7)
    types = {t for s in graph.subjects(SKOS.prefLabel, None) for t in graph.objects(s, RDF.type)}
    assert types == {PKG.Method, PKG.Dataset, PKG.Task, PKG.Metric, PKG.Concept}


def test_to_triples_mentions_with_offsets(graph):
    p2 = _paper(graph, P2["id"])
    beta = _entity(graph, "β-VAE")
    mentions = sorted(
        (str(graph.value(m, PKG.field)), graph.value(m, PKG.startOffset).toPython(),
         graph.value(m, PKG.endOffset).toPython(), str(graph.value(m, PKG.surfaceForm)))
        for m in graph.subjects(PKG.denotes, beta)
    )
    assert mentions == [("abstract", 0, 5, "β-VAE"), ("abstract", 43, 48, "β-VAE"), ("title", 0, 5, "β-VAE")]
    for field, start, end, surface in mentions:
        assert P2[field][start:end] == surface  # offsets are code point offsets
    assert (p2, PKG.mentions, beta) in graph


def test_to_triples_relation_direct_and_reified(graph):
    vae, gan = _entity(graph, "variational autoencoder"), _entity(graph, "generative adversarial network")
    assert (vae, PKG.comparedWith, gan) in graph
    (assertion,) = set(graph.subjects(RDF.subject, vae)) & set(graph.subjects(RDF.predicate, PKG.comparedWith))
    assert graph.value(assertion, RDF.object) == gan
    assert graph.value(assertion, PKG.support) == rdflib.Literal(2)
    derived = set(graph.objects(assertion, PROV.wasDerivedFrom))
    assert derived == {_paper(graph, P1["id"]), _paper(graph, EVIL_ID)}
    sentences = set()
    for span in graph.objects(assertion, PKG.evidence):
        paper = graph.value(span, PKG.inPaper)
        text = str(graph.value(paper, DCTERMS.abstract))
        sentences.add(text[graph.value(span, PKG.startOffset).toPython():graph.value(span, PKG.endOffset).toPython()])
    assert sentences == {
        "The VAE is evaluated on CIFAR-10 and CelebA, where it improves FID over GANs.",
        "Generative adversarial networks (GANs) are compared with VAEs on CIFAR-10.",
    }


def test_to_triples_proposes_assertion_has_paper_subject(graph):
    p2, beta = _paper(graph, P2["id"]), _entity(graph, "β-VAE")
    assert (p2, PKG.proposes, beta) in graph
    (assertion,) = set(graph.subjects(RDF.predicate, PKG.proposes)) & set(graph.subjects(RDF.subject, p2))
    assert graph.value(assertion, RDF.object) == beta
    assert graph.value(assertion, PROV.wasDerivedFrom) == p2


def test_to_triples_provenance_activity(graph):
    (activity,) = graph.subjects(RDF.type, PKG.Extraction)
    agent = graph.value(activity, PROV.wasAssociatedWith)
    assert str(graph.value(agent, rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "paperkg 0.1.0"
    for node in graph.subjects(RDF.type, PKG.Paper):
        assert graph.value(node, PROV.wasGeneratedBy) == activity


# --- determinism, atomicity, API ----------------------------------------------------------


def test_write_rdf_is_byte_deterministic(tmp_path):
    G = tiny_graph()
    # the same graph built in another node/edge order gives the same bytes
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    write_rdf(G, tmp_path / "a.ttl")
    write_rdf(H, tmp_path / "b.ttl")
    write_rdf(G, tmp_path / "c.nt", format="nt")
    write_rdf(H, tmp_path / "d.nt", format="nt")
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()
    assert (tmp_path / "c.nt").read_bytes() == (tmp_path / "d.nt").read_bytes()


def test_write_rdf_turtle_uses_fixed_prefixes(turtle):
    text = turtle.read_text(encoding="utf-8")
    for prefix in ("pkg", "dcterms", "skos", "prov", "schema", "xsd", "rdfs", "owl", "entity", "paper"):
        assert f"@prefix {prefix}: <{rdf_prefixes()[prefix]}> ." in text


def test_write_rdf_atomic_leaves_no_temp_file(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    write_rdf(tiny_graph(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
    assert target.read_text(encoding="utf-8").startswith("@prefix")


def test_write_rdf_missing_directory_raises_export_error(tmp_path):
    with pytest.raises(ExportError, match="missing"):
        write_rdf(tiny_graph(), tmp_path / "missing" / "graph.ttl")


def test_write_rdf_unknown_format_lists_choices(tmp_path):
    with pytest.raises(ExportError, match="turtle"):
        write_rdf(tiny_graph(), tmp_path / "g.x", format="yaml")


def test_write_rdf_to_binary_file_object():
    buffer = io.BytesIO()
    write_rdf(tiny_graph(), buffer, format="ntriples")
    assert buffer.getvalue().count(b"\n") == len(to_triples(tiny_graph()))


def test_to_triples_custom_base_iri():
    base = "http://example.org/kg#"
    subjects = {t.subject.value for t in to_triples(tiny_graph(), base_iri=base)}
    assert base + "entity/cifar-10" in subjects
    assert not any(s.startswith(DEFAULT_BASE_IRI) for s in subjects)


@pytest.mark.parametrize(
    "base", ["not an iri", "http://example.org/kg", "ftp://x/", "http://a b/", "http://[::1/", "http://a/%zz/"]
)
def test_to_triples_invalid_base_iri_raises(base):
    with pytest.raises(ExportError, match="base IRI"):
        to_triples(tiny_graph(), base_iri=base)


def test_to_rdflib_same_triples_as_export(graph):
    converted = to_rdflib(tiny_graph())
    assert len(converted) == len(graph) == len(to_triples(tiny_graph()))
    assert isomorphic(converted, graph)
    assert dict(converted.namespaces())["pkg"] == rdflib.URIRef(str(PKG))


def test_to_triples_unknown_entity_type_raises():
    G = nx.MultiDiGraph(paperkg_version="0.1.0")
    G.add_node("entity:x", kind="entity", id="x", label="x", type="Algorithm", paper_count=1, mention_count=1)
    with pytest.raises(ExportError, match="Method"):
        to_triples(G)


def test_to_triples_offsets_outside_text_raise():
    G = tiny_graph()
    G.edges["paper:2301.00001", "entity:elbo", "mentions"]["evidence"] = [
        {"field": "abstract", "start": 5, "end": 10_000, "text": "x"}
    ]
    with pytest.raises(ExportError, match="offsets"):
        to_triples(G)


def test_to_triples_unpaired_surrogate_raises_export_error():
    G = tiny_graph()
    G.nodes[f"paper:{EVIL['id']}"]["title"] = "bad \ud800 title"
    with pytest.raises(ExportError, match="surrogate"):
        to_triples(G)


def test_to_triples_unknown_edge_key_warns_and_skips():
    G = tiny_graph()
    G.add_edge("entity:fid", "entity:elbo", key="cooccurs", weight=3)
    with pytest.warns(UserWarning, match="cooccurs"):
        triples = to_triples(G)
    assert len(triples) == len(to_triples(tiny_graph()))


def test_write_rdf_same_bytes_in_another_process(tmp_path):
    # set and dict orders differ between processes (hash seeds); the output must not
    import os
    import subprocess

    code = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
        "from graphs import tiny_graph; from paperkg.export.rdf import write_rdf;"
        "write_rdf(tiny_graph(), sys.argv[3])"
    )
    tests_dir, repo = str(Path(__file__).parent), str(Path(__file__).parent.parent)
    for seed, name in (("1", "a.ttl"), ("2", "b.ttl")):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, tests_dir, repo, str(tmp_path / name)], check=True, env=env)
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


def test_to_triples_relation_between_wrong_kinds_raises():
    G = tiny_graph()
    G.add_edge("paper:2301.00001", "entity:fid", key="evaluatedOn", support=1, evidence=[])
    with pytest.raises(ExportError, match="entity node"):
        to_triples(G)


def test_to_triples_bad_count_raises():
    G = tiny_graph()
    G.nodes["entity:fid"]["paper_count"] = "many"
    with pytest.raises(ExportError, match="paper_count"):
        to_triples(G)


def test_shapes_reject_proposes_assertion_with_entity_subject(graph):
    broken = rdflib.Graph() + graph
    assertion = next(iter(set(broken.subjects(RDF.predicate, PKG.proposes))))
    broken.set((assertion, RDF.subject, _entity(broken, "FID")))
    assert "OrConstraint" in _violations(broken)
