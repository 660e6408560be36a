"""Tests of paperkg.namespace: the PKG class mirrors ontology/paperkg.ttl."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.namespace import get_annotations  # type: ignore[attr-defined]

from paperkg.namespace import ONTOLOGY_IRI, PKG, PKG_NS, PREFIXES, ontology_dirs, ontology_file


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file("paperkg.ttl"), format="turtle")


def _declared_terms(graph: rdflib.Graph) -> set[str]:
    """Local names of every pkg: IRI typed in the ontology."""
    return {str(s)[len(PKG_NS):] for s in graph.subjects(RDF.type, None) if str(s).startswith(PKG_NS)}


def test_namespace_terms_equal_ontology_terms():
    # every term of the .ttl is in PKG, and PKG has nothing the .ttl lacks
    assert _declared_terms(_ontology()) == set(get_annotations(PKG))


def test_namespace_every_used_pkg_iri_is_declared():
    # no pkg: IRI is used (as object, say) without being declared
    graph = _ontology()
    used = {
        str(t)[len(PKG_NS):]
        for triple in graph
        for t in triple
        if isinstance(t, rdflib.URIRef) and str(t).startswith(PKG_NS)
    }
    assert used <= _declared_terms(graph)


def test_namespace_unknown_term_raises():
    # _fail = True: a typo is an error, not a new IRI
    with pytest.raises(AttributeError, match="paperkg"):
        PKG.evaluatedOnn  # noqa: B018


def test_namespace_term_iri():
    assert PKG.RelationAssertion == rdflib.URIRef(PKG_NS + "RelationAssertion")
    assert PKG.field == rdflib.URIRef(PKG_NS + "field")


def test_namespace_every_term_is_documented():
    graph = _ontology()
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    for name in get_annotations(PKG):
        term = PKG[name]
        assert graph.value(term, RDFS.label), f"{name} has no rdfs:label"
        assert graph.value(term, RDFS.comment), f"{name} has no rdfs:comment"
        assert graph.value(term, RDFS.isDefinedBy) == ontology, f"{name} has no rdfs:isDefinedBy"


def test_namespace_terms_have_an_owl_kind():
    graph = _ontology()
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for name in get_annotations(PKG):
        assert kinds & set(graph.objects(PKG[name], RDF.type)), name


def test_namespace_ontology_header():
    graph = _ontology()
    ontology = rdflib.URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert graph.value(ontology, OWL.versionInfo)
    assert graph.value(ontology, rdflib.URIRef("http://purl.org/dc/terms/license"))
    assert graph.value(ontology, rdflib.URIRef("http://purl.org/dc/terms/title"))


def test_namespace_entity_types_match_models():
    # the five entity classes are exactly models.ENTITY_TYPES, all subclasses of pkg:Entity
    from paperkg.models import ENTITY_RELATIONS, ENTITY_TYPES

    graph = _ontology()
    subclasses = {str(s)[len(PKG_NS):] for s in graph.subjects(RDFS.subClassOf, PKG.Entity)}
    assert subclasses == set(ENTITY_TYPES)
    for relation in ("proposes",) + ENTITY_RELATIONS:
        assert (PKG[relation], RDF.type, OWL.ObjectProperty) in graph


def test_namespace_prefixes_parse_in_ontology():
    graph = _ontology()
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    for prefix in ("pkg", "dcterms", "skos", "prov", "schema"):
        assert bound[prefix] == PREFIXES[prefix]


def test_namespace_shapes_parse_with_pyoxigraph_and_rdflib():
    import pyoxigraph

    for name in ("paperkg.ttl", "shapes.ttl"):
        path = ontology_file(name)
        assert len(rdflib.Graph().parse(path, format="turtle")) > 50
        assert len(list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))) > 50


def test_namespace_ontology_file_missing_names_locations():
    assert ontology_dirs()
    with pytest.raises(FileNotFoundError, match="looked in"):
        ontology_file("no-such-file.ttl")
