"""Extraction on the 43 real abstracts of ../shared/corpus (skipped when absent)."""

from paperkg.build import extract_corpus
from paperkg.graph import graph_from_extractions


def test_shared_corpus_builds_a_linked_graph(shared_corpus, extractor):
    extractions, resolution, skips = extract_corpus([shared_corpus], extractor=extractor)
    assert len(extractions) == 43 and len(skips) == 0
    G = graph_from_extractions(extractions, resolution)
    labels = {d["label"]: d for _, d in G.nodes(data=True) if d.get("kind") == "entity"}
    # acronyms and their long forms are one entity, used by several papers
    assert labels["variational autoencoder"]["paper_count"] >= 3
    assert "VAE" in labels["variational autoencoder"]["aliases"]
    assert labels["reinforcement learning"]["type"] == "Method"
    # every paper yields entities, and generic words never become entities
    assert all(ex.mentions for ex in extractions)
    assert not {"approach", "method", "model", "framework", "results", "performance"} & {k.lower() for k in labels}
