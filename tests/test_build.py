"""The end-to-end build: the committed example output, determinism, accounting, formats."""

import json
from pathlib import Path

import pyoxigraph
import rdflib

from paperkg.build import DEFAULT_OUTPUTS, run_build
from paperkg.export.formats import read_graphml
from paperkg.models import ENTITY_TYPES

REPO = Path(__file__).resolve().parents[1]


def test_committed_output_is_the_build_of_the_sample(sample_build):
    # output/ in the repository is exactly what `paperkg build` writes today
    for kind, name in DEFAULT_OUTPUTS.items():
        built = sample_build.files[kind].read_bytes()
        committed = (REPO / "output" / name).read_bytes()
        assert built == committed, f"output/{name} is stale: run `paperkg build` and commit output/"


def test_build_is_deterministic(tmp_path, extractor, sample_build):
    again = run_build(out_dir=tmp_path, extractor=extractor)
    for kind in DEFAULT_OUTPUTS:
        assert again.files[kind].read_bytes() == sample_build.files[kind].read_bytes()


def test_build_graph_follows_the_contract(sample_build):
    G = sample_build.graph
    papers = [d for _, d in G.nodes(data=True) if d["kind"] == "paper"]
    entities = [d for _, d in G.nodes(data=True) if d["kind"] == "entity"]
    assert len(papers) == 45
    assert {d["type"] for d in entities} == set(ENTITY_TYPES)
    for u, v, k, d in G.edges(keys=True, data=True):
        if k == "mentions":
            paper = G.nodes[u]
            for ev in d["evidence"]:
                assert paper[ev["field"]][ev["start"] : ev["end"]] == ev["text"]
        elif k != "proposes":
            assert d["support"] >= 1 and G.nodes[u]["kind"] == G.nodes[v]["kind"] == "entity"
    for u, v, k in G.edges(keys=True):
        if k == "evaluatedOn":
            assert (G.nodes[u]["type"], G.nodes[v]["type"]) == ("Method", "Dataset")


def test_build_merges_acronyms_across_the_sample(sample_build):
    G = sample_build.graph
    vae = G.nodes["entity:variational-autoencoder"]
    assert {"VAE", "VAEs"} <= set(vae["aliases"]) and vae["paper_count"] >= 3
    fid = [d for _, d in G.nodes(data=True) if d.get("kind") == "entity" and "FID" in [d["label"], *d["aliases"]]]
    assert len(fid) == 1 and fid[0]["type"] == "Metric"


def test_build_outputs_parse_back(sample_build):
    g = rdflib.Graph().parse(sample_build.files["ttl"], format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(sample_build.files["ttl"]), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(g) == len(store) > 1000
    H = read_graphml(sample_build.files["graphml"])
    G = sample_build.graph
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert H.nodes["entity:variational-autoencoder"] == G.nodes["entity:variational-autoencoder"]
    report = json.loads(sample_build.files["report"].read_text())
    assert report["papers"] == 45 and report["skipped"] == 0
    assert report["recognizer"] is None  # rules only


def test_build_accounts_for_every_record(tmp_path, extractor):
    # every input record ends in the graph or in the skip report
    messy = REPO / "tests" / "fixtures" / "ingest" / "messy.jsonl"
    result = run_build([messy], out_dir=tmp_path, extractor=extractor, outputs=["report"])
    report = json.loads(result.files["report"].read_text())
    n_records = sum(1 for line in messy.read_text().splitlines() if line.strip())
    assert report["papers"] + report["skipped"] == n_records
    assert all(s["reason"] for s in report["skips"])
