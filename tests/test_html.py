"""Tests of paperkg.export.html: the Python side, then the page in a real headless Chromium.

The browser tests drive Debian's /usr/bin/chromium (override with PAPERKG_CHROMIUM) through
Python playwright; ``playwright install`` is never needed. Every request other than the
page itself is aborted and counted.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import sys
from pathlib import Path

import networkx as nx
import pytest

from paperkg.errors import ExportError
from paperkg.analyze import communities as analyze_communities
from paperkg.export.html import (
    _communities,
    _pagerank,
    _script_json,
    _snippet,
    graph_html,
    show,
    to_html,
    write_html,
)
from paperkg.export.layout import (
    EXACT_LIMIT,
    _cell_pairs,
    _exact_repulsion,
    _GridRepulsion,
    compute_layout,
    force_layout,
    remove_overlaps,
)

sys.path.insert(0, str(Path(__file__).parent))
from graphs import EVIL_TITLE, tiny_graph  # noqa: E402

CHROMIUM = os.environ.get("PAPERKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
JS_URL = "javascript:window.__pwned=1"


# --------------------------------------------------------------------------- graph builders


def build(papers: list[dict], entities: dict[str, tuple[str, str, list[str]]],
          relations: list[tuple[str, str, str, int]]) -> nx.MultiDiGraph:
    """A contract graph from paper dicts; mentions are found by searching label and aliases.

    ``relations`` holds ``(subject slug, predicate, object slug, paper index)``;
    ``proposes`` takes the paper index as subject. Evidence is the first sentence of the
    paper's abstract that mentions the object.
    """
    G = nx.MultiDiGraph(name="paperkg", paperkg_version="0.1.0", papers=len(papers), skipped=0)
    for p in papers:
        G.add_node(f"paper:{p['id']}", kind="paper", **{"year": None, "date": None, "authors": [], "url": None,
                                                        "categories": [], "source": "t.jsonl:1", **p})
    found: dict[tuple[str, str], list[dict]] = {}
    for p in papers:
        for field in ("title", "abstract"):
            text, taken = p[field], []
            surfaces = sorted(((s, slug) for slug, (label, _, aliases) in entities.items()
                               for s in [label, *aliases]), key=lambda x: (-len(x[0]), x))
            for surface, slug in surfaces:
                for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
                    if any(m.start() < e and s < m.end() for s, e in taken):
                        continue
                    taken.append((m.start(), m.end()))
                    found.setdefault((f"paper:{p['id']}", f"entity:{slug}"), []).append(
                        {"field": field, "start": m.start(), "end": m.end(), "text": m.group()})
    for slug, (label, type_, aliases) in entities.items():
        hits = [(k, v) for k, v in found.items() if k[1] == f"entity:{slug}"]
        G.add_node(f"entity:{slug}", kind="entity", id=slug, label=label, type=type_, aliases=sorted(aliases),
                   paper_count=len(hits), mention_count=sum(len(v) for _, v in hits))
    for (paper, entity), evidence in sorted(found.items()):
        G.add_edge(paper, entity, key="mentions", count=len(evidence),
                   evidence=sorted(evidence, key=lambda e: (e["field"], e["start"])))
    for subject, predicate, obj, index in relations:
        p = papers[index]
        ends = [0] + [m.end() + 1 for m in re.finditer(r"\. ", p["abstract"])] + [len(p["abstract"]) + 1]
        spans = [(a, b - 1) for a, b in zip(ends, ends[1:])]
        label, _, aliases = entities[obj]
        start, end = next(((a, b) for a, b in spans if any(s in p["abstract"][a:b] for s in [label, *aliases])),
                          spans[0])
        if predicate == "proposes":
            G.add_edge(f"paper:{p['id']}", f"entity:{obj}", key="proposes",
                       evidence=[{"field": "abstract", "start": start, "end": end}])
        else:
            G.add_edge(f"entity:{subject}", f"entity:{obj}", key=predicate, support=1,
                       evidence=[{"paper": p["id"], "field": "abstract", "start": start, "end": end}])
    return G


def _xss_graph() -> nx.MultiDiGraph:
    """Hostile titles, labels, aliases, abstracts and urls."""
    papers = [
        {"id": "evil/1", "title": f"{SCRIPT} Attack of the {IMG} VAE", "year": 2024,
         "abstract": f"We train a VAE on MNIST. {IMG} and {SCRIPT} appear here. Evil {IMG} works.",
         "url": JS_URL, "authors": [IMG]},
        {"id": "evil:2</script>", "title": f"</script><script>window.__pwned=1</script> {IMG}", "year": 2023,
         "abstract": f"The variational autoencoder beats Evil {IMG} on MNIST.", "url": "https://example.org/x"},
    ]
    entities = {
        "variational-autoencoder": ("variational autoencoder", "Method", ["VAE", SCRIPT]),
        "mnist": ("MNIST", "Dataset", []),
        "evil": (f"Evil {IMG}", "Concept", [JS_URL]),
    }
    relations = [("variational-autoencoder", "evaluatedOn", "mnist", 0), ("", "proposes", "evil", 1)]
    return build(papers, entities, relations)


CORPUS = [
    {"id": "2301.00101", "year": 2023, "url": "https://arxiv.org/abs/2301.00101",
     "title": "Hierarchical Variational Autoencoders for Image Generation",
     "abstract": "We propose a hierarchical variational autoencoder (VAE) that tightens the ELBO. "
                 "On CIFAR-10 and CelebA the model improves FID over GANs. "
                 "Posterior collapse is avoided by a KL warm-up."},
    {"id": "2302.00202", "year": 2023, "url": "https://arxiv.org/abs/2302.00202",
     "title": "Score-Based Diffusion Models Beat GANs",
     "abstract": "We show that a diffusion model trained with denoising score matching reaches a better FID "
                 "than GANs on ImageNet and CIFAR-10. Classifier guidance further improves Inception Score."},
    {"id": "2203.00303", "year": 2022, "url": "https://arxiv.org/abs/2203.00303",
     "title": "Vision Transformers for Semantic Segmentation",
     "abstract": "We adapt the Vision Transformer (ViT) to semantic segmentation. "
                 "Evaluated on ADE20K and Cityscapes, it improves mIoU over convolutional neural networks."},
    {"id": "2104.00404", "year": 2021, "url": "https://arxiv.org/abs/2104.00404",
     "title": "Contrastive Learning of Visual Representations at Scale",
     "abstract": "Contrastive learning with a ResNet backbone learns representations for image classification. "
                 "Linear probing on ImageNet reaches 76% accuracy."},
    {"id": "2305.00505", "year": 2023, "url": "https://arxiv.org/abs/2305.00505",
     "title": "Masked Autoencoders Are Scalable Vision Learners",
     "abstract": "A masked autoencoder pre-trains a ViT for image classification. "
                 "Fine-tuning on ImageNet improves accuracy, and transfer to ADE20K improves mIoU."},
    {"id": "2006.00606", "year": 2020, "url": "https://arxiv.org/abs/2006.00606",
     "title": "Beta-VAE Revisited: Disentanglement Without Posterior Collapse",
     "abstract": "β-VAE is a variant of the variational autoencoder. We measure disentanglement on CelebA "
                 "and dSprites with the MIG metric and relate posterior collapse to the ELBO."},
    {"id": "2211.00707", "year": 2022, "url": "https://arxiv.org/abs/2211.00707",
     "title": "Latent Diffusion for Text-to-Image Synthesis",
     "abstract": "A latent diffusion model runs the diffusion model in the latent space of a VAE. "
                 "For text-to-image synthesis on MS-COCO it lowers FID and is compared with GANs."},
    {"id": "1912.00808", "year": 2019, "url": "https://arxiv.org/abs/1912.00808",
     "title": "Adversarial Training Improves Robustness of ResNets",
     "abstract": "Adversarial training of a ResNet on CIFAR-10 improves robust accuracy under PGD attacks. "
                 "We study overfitting during adversarial training."},
    {"id": "2108.00909", "year": 2021, "url": "https://arxiv.org/abs/2108.00909",
     "title": "Object Detection with Transformers on COCO",
     "abstract": "DETR uses a Vision Transformer encoder for object detection. "
                 "On MS-COCO it matches Faster R-CNN in mAP."},
    {"id": "2309.01010", "year": 2023, "url": "https://arxiv.org/abs/2309.01010",
     "title": "Energy-Based Models and Contrastive Divergence",
     "abstract": "We train an energy-based model with contrastive divergence, estimating the partition function "
                 "with annealed importance sampling. Samples on CIFAR-10 reach a competitive FID."},
    {"id": "2401.01111", "year": 2024, "url": "https://arxiv.org/abs/2401.01111",
     "title": "Self-Supervised Segmentation with Contrastive Learning",
     "abstract": "Contrastive learning pre-trains a ViT for semantic segmentation on Cityscapes, "
                 "improving mIoU over supervised pre-training."},
    {"id": "2402.01212", "year": 2024, "url": "https://arxiv.org/abs/2402.01212",
     "title": "Consistency Models for Fast Image Generation",
     "abstract": "Consistency models distill a diffusion model into a one-step generator for image generation. "
                 "On ImageNet they reach FID close to diffusion models."},
]
CORPUS_ENTITIES = {
    "variational-autoencoder": ("variational autoencoder", "Method", ["VAE", "variational autoencoders"]),
    "beta-vae": ("β-VAE", "Method", ["Beta-VAE"]),
    "diffusion-model": ("diffusion model", "Method", ["diffusion models", "Diffusion Models"]),
    "latent-diffusion-model": ("latent diffusion model", "Method", ["Latent Diffusion"]),
    "consistency-model": ("consistency model", "Method", ["Consistency models", "Consistency Models"]),
    "generative-adversarial-network": ("generative adversarial network", "Method", ["GAN", "GANs"]),
    "vision-transformer": ("Vision Transformer", "Method", ["ViT", "Vision Transformers"]),
    "resnet": ("ResNet", "Method", ["ResNets"]),
    "masked-autoencoder": ("masked autoencoder", "Method", ["Masked Autoencoders"]),
    "contrastive-learning": ("contrastive learning", "Method", ["Contrastive learning", "Contrastive Learning"]),
    "adversarial-training": ("adversarial training", "Method", ["Adversarial training", "Adversarial Training"]),
    "detr": ("DETR", "Method", []),
    "energy-based-model": ("energy-based model", "Method", ["Energy-Based Models"]),
    "cifar-10": ("CIFAR-10", "Dataset", []),
    "celeba": ("CelebA", "Dataset", []),
    "imagenet": ("ImageNet", "Dataset", []),
    "ade20k": ("ADE20K", "Dataset", []),
    "cityscapes": ("Cityscapes", "Dataset", []),
    "ms-coco": ("MS-COCO", "Dataset", ["COCO"]),
    "image-generation": ("image generation", "Task", ["Image Generation"]),
    "semantic-segmentation": ("semantic segmentation", "Task", ["Semantic Segmentation"]),
    "image-classification": ("image classification", "Task", []),
    "object-detection": ("object detection", "Task", ["Object Detection"]),
    "text-to-image-synthesis": ("text-to-image synthesis", "Task", ["Text-to-Image Synthesis"]),
    "fid": ("FID", "Metric", []),
    "miou": ("mIoU", "Metric", []),
    "accuracy": ("accuracy", "Metric", []),
    "map": ("mAP", "Metric", []),
    "elbo": ("ELBO", "Concept", []),
    "posterior-collapse": ("posterior collapse", "Concept", ["Posterior collapse", "Posterior Collapse"]),
    "partition-function": ("partition function", "Concept", []),
}
CORPUS_RELATIONS = [
    ("", "proposes", "variational-autoencoder", 0),
    ("variational-autoencoder", "evaluatedOn", "cifar-10", 0),
    ("variational-autoencoder", "evaluatedOn", "celeba", 0),
    ("variational-autoencoder", "uses", "elbo", 0),
    ("variational-autoencoder", "comparedWith", "generative-adversarial-network", 0),
    ("diffusion-model", "evaluatedOn", "imagenet", 1),
    ("diffusion-model", "comparedWith", "generative-adversarial-network", 1),
    ("vision-transformer", "usedFor", "semantic-segmentation", 2),
    ("vision-transformer", "evaluatedOn", "ade20k", 2),
    ("contrastive-learning", "usedFor", "image-classification", 3),
    ("", "proposes", "masked-autoencoder", 4),
    ("masked-autoencoder", "uses", "vision-transformer", 4),
    ("beta-vae", "isA", "variational-autoencoder", 5),
    ("latent-diffusion-model", "isA", "diffusion-model", 6),
    ("latent-diffusion-model", "usedFor", "text-to-image-synthesis", 6),
    ("adversarial-training", "evaluatedOn", "cifar-10", 7),
    ("detr", "usedFor", "object-detection", 8),
    ("detr", "evaluatedOn", "ms-coco", 8),
    ("energy-based-model", "uses", "partition-function", 9),
    ("consistency-model", "uses", "diffusion-model", 11),
    ("", "proposes", "consistency-model", 11),
]


def corpus_graph() -> nx.MultiDiGraph:
    """A 12-paper, 31-entity graph (43 nodes) for the layout and the screenshot."""
    return build(CORPUS, CORPUS_ENTITIES, CORPUS_RELATIONS)


def zipf_graph(n: int, *, seed: int = 0) -> nx.MultiDiGraph:
    """A contract graph of ``n`` nodes: n // 5 papers; entity r (from 0) is in papers // (r + 1) papers (at least 1).

    Labels are ``"<type> <rank>"``, so entity ``e0`` is the most cited one.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n_papers = n // 5
    types = ["Method", "Dataset", "Task", "Metric", "Concept"]
    G = nx.MultiDiGraph(name="paperkg", paperkg_version="0.1.0", papers=n_papers, skipped=0)
    members: list[list[int]] = [[] for _ in range(n_papers)]
    counts = [max(1, n_papers // (r + 1)) for r in range(n - n_papers)]
    for i, c in enumerate(counts):
        for p in rng.choice(n_papers, size=c, replace=False):
            members[int(p)].append(i)
    for p, ents in enumerate(members):
        labels = [f"{types[i % 5].lower()} {i}" for i in ents]
        text = " ".join(f"We use {label}." for label in labels)
        G.add_node(f"paper:{p}", kind="paper", id=str(p), title=f"Paper {p}", abstract=text, year=2020,
                   date=None, authors=[], url=None, categories=[], source=f"z.jsonl:{p + 1}")
        cursor = 0
        for i, label in zip(ents, labels):
            start = text.index(label, cursor)
            cursor = start + len(label)
            G.add_edge(f"paper:{p}", f"entity:e{i}", key="mentions", count=1,
                       evidence=[{"field": "abstract", "start": start, "end": cursor, "text": label}])
    for i, c in enumerate(counts):
        G.add_node(f"entity:e{i}", kind="entity", id=f"e{i}", label=f"{types[i % 5].lower()} {i}",
                   type=types[i % 5], aliases=[], paper_count=c, mention_count=c)
    return G


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="paperkg-data">(.*?)</script>', page, re.S)
    assert m, "data block missing"
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- pure Python


def test_to_html_is_byte_identical_across_calls_and_insertion_order():
    G = tiny_graph()
    reordered = nx.MultiDiGraph(**G.graph)
    reordered.add_nodes_from(reversed(list(G.nodes(data=True))))
    reordered.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert to_html(G) == to_html(tiny_graph()) == to_html(reordered)
    assert to_html(G, seed=1) != to_html(G, seed=2)


def test_to_html_data_block_cannot_be_closed_by_user_text():
    page = to_html(tiny_graph())
    block = re.search(r'id="paperkg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert EVIL_TITLE in [n.get("title") for n in data["nodes"]]  # the text survives unchanged


def test_to_html_has_no_external_resources_and_a_strict_csp():
    page = to_html(tiny_graph())
    assert "default-src 'none'" in page and "'unsafe-inline'" not in page and "'unsafe-eval'" not in page
    assert not re.search(r"<(link|img|iframe)\b", page.split('id="paperkg-data"')[0], re.I)
    assert not re.search(r"<script[^>]+src=", page, re.I)
    assert "cdn" not in page.split("<script")[0].lower()


def test_to_html_escapes_the_title():
    page = to_html(tiny_graph(), title=SCRIPT)
    assert SCRIPT not in page
    assert "<title>&lt;script&gt;window.__pwned=1&lt;/script&gt;</title>" in page


def test_to_html_counts_and_styles_nodes():
    data = _data(to_html(tiny_graph()))
    kinds = [n["kind"] for n in data["nodes"]]
    assert kinds.count("paper") == 4 and kinds.count("entity") == 9
    vae = next(n for n in data["nodes"] if n["id"] == "entity:variational-autoencoder")
    assert vae["tip"] == "variational autoencoder\nMethod · 3 papers\naliases: VAE, VAEs"
    assert vae["size"] > next(n for n in data["nodes"] if n["id"] == "entity:elbo")["size"]
    assert {r["name"] for r in data["relations"]} == {
        "mentions", "proposes", "evaluatedOn", "usedFor", "isA", "comparedWith", "uses"}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])


def test_to_html_header_states_totals():
    page = to_html(tiny_graph())
    assert "4 papers, 9 entities, 15 relations — showing 13 of 13 nodes" in page


def test_to_html_exports_only_http_urls():
    data = _data(to_html(tiny_graph()))
    urls = {n["pid"]: n["url"] for n in data["nodes"] if n["kind"] == "paper"}
    assert urls["2301.00001"] == "https://arxiv.org/abs/2301.00001"
    assert urls["10.1000/xyz-123"] is None  # ftp://
    assert all(u is None or u.startswith("http") for u in urls.values())  # javascript: dropped


def test_to_html_evidence_highlights_every_mention_in_the_sentence():
    data = _data(to_html(tiny_graph()))
    vae = next(n for n in data["nodes"] if n["id"] == "entity:variational-autoencoder")
    first = vae["ev"][0]  # 2023 paper first, its title first
    assert first == {"p": "paper:2301.00001", "f": "title",
                     "s": [["Variational Autoencoders", True], [" for Image Generation", False]]}
    sentence = next(e["s"] for e in vae["ev"] if e["s"][0][0] == "We propose a ")
    assert [t for t, marked in sentence if marked] == ["variational autoencoder", "VAE"]


def test_to_html_evidence_skips_offsets_outside_the_text():
    G = tiny_graph()
    G.edges["paper:2301.00001", "entity:elbo", "mentions"]["evidence"] = [
        {"field": "abstract", "start": 900, "end": 904, "text": "ELBO"}]
    elbo = next(n for n in _data(to_html(G))["nodes"] if n["id"] == "entity:elbo")
    assert elbo["ev"] == []


def test_snippet_cuts_at_sentence_ends():
    text = "First one. The VAE is trained on MNIST! Last?"
    assert _snippet(text, [(15, 18)]) == [["The ", False], ["VAE", True], [" is trained on MNIST!", False]]


def test_snippet_shortens_long_sentences_around_the_match():
    text = "word " * 200 + "VAE " + "word " * 200
    segments = _snippet(text, [(1000, 1003)], limit=60)
    assert segments[1] == ["VAE", True]
    assert segments[0][0].startswith("…") and segments[2][0].endswith("…")
    assert sum(len(t) for t, _ in segments) <= 62


def test_script_json_escapes_line_separators():
    assert _script_json("\u2028\u2029") == '"\\u2028\\u2029"'


def test_to_html_max_nodes_keeps_top_entities_and_says_what_was_cut():
    page = to_html(corpus_graph(), max_nodes=10)
    data = _data(page)
    assert len(data["nodes"]) == 10
    labels = {n["label"] for n in data["nodes"] if n["kind"] == "entity"}
    assert {"FID", "CIFAR-10"} <= labels  # among the most-cited entities
    assert "showing 10 of 43 nodes" in page
    assert re.search(r"max_nodes=10: cut \d+ entities \(≤\d+ papers each\) and \d+ papers", page)


def test_to_html_types_restricts_entities():
    data = _data(to_html(tiny_graph(), types=["Dataset"]))
    assert {n["type"] for n in data["nodes"]} == {"Dataset", "Paper"}
    with pytest.raises(ExportError, match="Method, Dataset, Task, Metric, Concept"):
        to_html(tiny_graph(), types=["Algorithm"])


def test_to_html_focus_by_alias_keeps_the_ego_graph():
    data = _data(to_html(corpus_graph(), focus="vit", depth=1))
    ids = {n["id"] for n in data["nodes"]}
    assert "entity:vision-transformer" in ids and "entity:resnet" not in ids
    assert ids == {"entity:vision-transformer", "entity:semantic-segmentation", "entity:ade20k",
                   "paper:2203.00303", "paper:2305.00505", "paper:2401.01111", "paper:2108.00909",
                   "entity:masked-autoencoder"}


def test_to_html_focus_unknown_suggests_close_matches():
    with pytest.raises(ExportError, match=r"focus='CIFAR10'.*did you mean: 'CIFAR-10'"):
        to_html(tiny_graph(), focus="CIFAR10")


def test_to_html_focus_outside_the_types_filter_says_so():
    with pytest.raises(ExportError, match="is the Method 'variational autoencoder', which the types= filter"):
        to_html(tiny_graph(), types=["Dataset"], focus="VAE")


def test_to_html_rejects_bad_arguments():
    with pytest.raises(ExportError, match="MultiDiGraph"):
        to_html(nx.Graph())
    with pytest.raises(ExportError, match="max_nodes must be an int >= 1, got 0"):
        to_html(tiny_graph(), max_nodes=0)
    with pytest.raises(ExportError, match="rank must be one of 'papers', 'pagerank'; got 'degree'"):
        to_html(tiny_graph(), rank="degree")
    with pytest.raises(ExportError, match="color_by must be one of 'type', 'community'"):
        to_html(tiny_graph(), color_by="year")
    with pytest.raises(ExportError, match="min_papers must be None"):
        to_html(tiny_graph(), min_papers=0)


def test_pagerank_matches_networkx():
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    G = nx.Graph(nx.karate_club_graph().edges())  # without the edge weights, which _pagerank ignores
    G.add_node("lonely")  # a dangling node spreads its score evenly
    ours, theirs = _pagerank(G), _pagerank_python(G, tol=1e-12)
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[n] - theirs[n]) < 1e-8 for n in ours)


def _hub_graph() -> nx.MultiDiGraph:
    """The corpus graph plus relations from "partition function" (1 paper) to seven entities."""
    G = corpus_graph()
    for target in ("elbo", "posterior-collapse", "fid", "accuracy", "miou", "map", "imagenet"):
        G.add_edge("entity:partition-function", f"entity:{target}", key="uses", support=1,
                   evidence=[{"paper": "2309.01010", "field": "abstract", "start": 0, "end": 20}])
    return G


def test_to_html_max_nodes_by_pagerank_keeps_well_connected_entities():
    G = _hub_graph()
    by_papers = _data(to_html(G, max_nodes=20))
    page = to_html(G, max_nodes=20, rank="pagerank")
    by_rank = _data(page)
    assert len(by_papers["nodes"]) == len(by_rank["nodes"]) == 20
    assert "entity:partition-function" not in {n["id"] for n in by_papers["nodes"]}  # 1 paper: cut
    assert "entity:partition-function" in {n["id"] for n in by_rank["nodes"]}  # 8 neighbours: kept
    assert re.search(r"max_nodes=20 by PageRank: cut \d+ entities \(lowest PageRank; the most cited of them: "
                     r"“[^”]+”, \d+ papers\) and \d+ papers", page)


def test_communities_are_the_louvain_partition_of_analyze():
    G = corpus_graph()
    membership, legend = _communities(G, set(G), seed=42)
    groups: dict[int, set[str]] = {}
    for node, index in membership.items():
        groups.setdefault(index, set()).add(G.nodes[node]["label"])
    assert {frozenset(g) for g in groups.values()} == {frozenset(g) for g in analyze_communities(G, seed=42)}
    assert [c["count"] for c in legend] == sorted((len(g) for g in groups.values()), reverse=True)
    assert legend[0]["name"].count(" · ") == 2  # named after its three most-cited members
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c[k]) for c in legend for k in ("color", "border"))


def test_communities_put_singletons_in_other():
    G = zipf_graph(60)
    for slug in ("lonely-a", "lonely-b"):  # mentioned by no paper: communities of one
        G.add_node(f"entity:{slug}", kind="entity", id=slug, label=slug, type="Concept", aliases=[],
                   paper_count=0, mention_count=0)
    membership, legend = _communities(G, set(G), seed=1)
    assert legend[-1] == {"name": "other (2 small communities)", "color": "#d1d5db", "border": "#9ca3af",
                          "count": 2}
    assert membership["entity:lonely-a"] == membership["entity:lonely-b"] == len(legend) - 1
    assert sum(c["count"] for c in legend) == len(membership) == 50


def test_to_html_carries_community_and_landmark_data():
    data = _data(to_html(corpus_graph(), color_by="community"))
    assert data["color_by"] == "community"
    entities = [n for n in data["nodes"] if n["kind"] == "entity"]
    assert all(0 <= n["c"] < len(data["communities"]) for n in entities)
    assert data["landmarks"][:2] == ["entity:fid", "entity:cifar-10"]  # most papers first
    assert len(data["landmarks"]) == len(entities)


def test_to_html_large_pages_start_with_a_min_papers_filter():
    G = zipf_graph(600)
    page = to_html(G)
    data = _data(page)
    kept = [n for n in data["nodes"] if n["kind"] == "entity" and n["pc"] >= data["start_pc"]]
    assert data["start_pc"] > 1 and len(kept) <= 150
    assert len([n for n in data["nodes"] if n["kind"] == "entity" and n["pc"] >= data["start_pc"] - 1]) > 150
    hidden = 480 - len(kept)
    assert f"Entities in fewer than {data['start_pc']} papers are hidden ({hidden});" in page
    assert re.search(r"showing (\d+) of 600 nodes", page).group(1) != "600"
    everything = to_html(G, min_papers=1)
    assert "showing 600 of 600 nodes" in everything and 'id="pk-filter-note"></p>' in everything
    assert _data(to_html(G, min_papers=2))["start_pc"] == 2
    assert _data(to_html(corpus_graph()))["start_pc"] == 1  # small pages show everything


# --------------------------------------------------------------------------- layout


def test_layout_is_deterministic_and_overlap_free():
    G = corpus_graph()
    boxes = {n: (40.0, -12.0, 28.0) for n in G}
    pos = compute_layout(G, boxes, seed=3)
    assert pos == compute_layout(G, boxes, seed=3) and set(pos) == set(G)
    items = sorted(pos.values())
    for i, (x1, y1) in enumerate(items):
        for x2, y2 in items[i + 1 :]:
            assert abs(x1 - x2) >= 79 or abs(y1 - y2) >= 39, ((x1, y1), (x2, y2))


def test_cell_pairs_match_brute_force():
    import numpy as np

    rng = np.random.default_rng(0)
    cx, cy = rng.integers(-5, 6, 300), rng.integers(-5, 6, 300)
    i, j = _cell_pairs(cx, cy)
    brute = {(a, b) for a in range(300) for b in range(a + 1, 300)
             if abs(cx[a] - cx[b]) <= 1 and abs(cy[a] - cy[b]) <= 1}
    assert len(i) == len(brute) and set(zip(i.tolist(), j.tolist())) == brute


def test_grid_repulsion_approximates_the_exact_sum():
    import numpy as np

    pos = np.random.default_rng(1).random((2000, 2))
    exact, grid = _exact_repulsion(pos, 0.02), _GridRepulsion(2000)(pos, 0.02)
    cosine = (exact * grid).sum(axis=1) / np.linalg.norm(exact, axis=1) / np.linalg.norm(grid, axis=1)
    assert np.median(cosine) > 0.9
    assert 0.5 < np.median(np.linalg.norm(grid, axis=1) / np.linalg.norm(exact, axis=1)) < 2


def test_force_layout_uses_the_grid_above_the_exact_limit():
    G = nx.cycle_graph(EXACT_LIMIT + 100)
    pos = force_layout(G, list(G), seed=0)
    assert pos.shape == (EXACT_LIMIT + 100, 2) and abs(pos).max() <= 1.0
    assert (force_layout(G, list(G), seed=0) == pos).all()
    out = remove_overlaps(pos * 3000, __import__("numpy").array([[10.0, -5.0, 5.0]] * len(G)))
    assert len(_cell_pairs((out[:, 0] // 20).astype(int), (out[:, 1] // 10).astype(int))[0]) > 0


def test_to_html_handles_an_empty_graph():
    assert "0 papers, 0 entities, 0 relations — showing 0 of 0 nodes" in to_html(nx.MultiDiGraph())


def test_write_html_is_atomic(tmp_path):
    out = write_html(tiny_graph(), tmp_path / "graph.html", title="t")
    assert out.read_text(encoding="utf-8") == to_html(tiny_graph(), title="t")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]
    assert write_html(tiny_graph(), tmp_path / "new" / "g.html").is_file()  # parents are created


def test_graph_html_repr_is_an_escaped_srcdoc_iframe():
    frame = graph_html(tiny_graph(), height=500)
    shown = frame._repr_html_()
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" [^>]*height:500px[^>]*></iframe>', shown, re.S)
    assert match, shown[:200]
    assert htmllib.unescape(match.group(1)) == frame.html
    assert 'sandbox="allow-scripts allow-popups' in shown
    assert len(repr(frame)) < 100  # the page is not dumped by repr()


def test_show_displays_the_frame(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    show(tiny_graph(), height=300)
    assert len(shown) == 1 and shown[0].height == 300


# --------------------------------------------------------------------------- the page in Chromium


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium or set PAPERKG_CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Loaded:
    """A page opened from a file:// URL with every other request aborted and counted."""

    def __init__(self, browser, tmp_path: Path, G: nx.MultiDiGraph, **kw):
        self.path = write_html(G, tmp_path / "page.html", **kw)
        self.url = self.path.as_uri()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 860})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self.page.wait_for_function("window.paperkg && window.paperkg.network")

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def panel(self) -> str:
        return self.page.inner_text("#pk-panel")


@pytest.fixture
def open_page(browser, tmp_path):
    opened = []

    def _open(G, **kw):
        loaded = Loaded(browser, tmp_path, G, **kw)
        opened.append(loaded)
        return loaded

    yield _open
    for loaded in opened:
        loaded.context.close()


def test_page_loads_offline_and_draws_every_node(open_page):
    G = corpus_graph()
    p = open_page(G)
    data = _data(p.path.read_text(encoding="utf-8"))
    counts = p.js("() => [paperkg.nodes.length, paperkg.edges.length, "
                  "Object.keys(paperkg.network.body.nodes).length]")
    assert counts[:2] == [len(data["nodes"]), len(data["edges"])] == [43, G.number_of_edges()]
    assert counts[2] == 43
    assert p.blocked == [] and p.errors == [] and p.dialogs == []
    assert p.js("() => paperkg.network.physics.options.enabled") is False
    assert p.page.inner_text("#pk-stats").startswith("12 papers, 31 entities, 21 relations")


def test_page_search_by_alias_selects_the_entity(open_page):
    p = open_page(tiny_graph())
    p.page.fill("#pk-search", "VAE")
    p.page.press("#pk-search", "Enter")
    assert p.js("() => paperkg.network.getSelectedNodes()") == ["entity:variational-autoencoder"]
    assert p.page.inner_text("#pk-panel-title") == "variational autoencoder"
    assert p.js("() => document.querySelectorAll('#pk-names option').length") >= 9
    assert p.errors == [] and p.blocked == []


def test_page_legend_toggles_a_type(open_page):
    p = open_page(tiny_graph())
    hidden = "() => paperkg.nodes.get({filter: n => n.hidden === true}).map(n => n.id).sort()"
    p.page.click('#pk-legend button[data-type="Dataset"]')
    assert p.js(hidden) == ["entity:celeba", "entity:cifar-10"]
    assert p.page.get_attribute('#pk-legend button[data-type="Dataset"]', "aria-pressed") == "false"
    p.page.click('#pk-legend button[data-type="Dataset"]')
    assert p.js(hidden) == []


def test_page_relation_and_min_count_filters(open_page):
    p = open_page(tiny_graph())
    p.page.uncheck('#pk-relations input[data-rel="mentions"]')
    assert p.js("() => paperkg.edges.get({filter: e => e.hidden}).length") == p.js(
        "() => paperkg.data.edges.filter(e => e.rel === 'mentions').length")
    p.page.fill("#pk-minpc", "3")
    p.page.dispatch_event("#pk-minpc", "input")
    visible = p.js("() => paperkg.nodes.get({filter: n => !n.hidden && n.id.startsWith('entity:')}).map(n => n.id)")
    assert sorted(visible) == ["entity:cifar-10", "entity:fid", "entity:generative-adversarial-network",
                               "entity:image-generation", "entity:variational-autoencoder"]
    assert p.page.inner_text("#pk-minpc-out") == "3"


def test_page_click_fills_panel_with_papers_and_evidence(open_page):
    p = open_page(tiny_graph())
    x, y = p.js("""() => {
        const pos = paperkg.network.getPositions(['entity:cifar-10'])['entity:cifar-10'];
        const dom = paperkg.network.canvasToDOM(pos);
        const box = document.querySelector('#pk-graph canvas').getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""")
    p.page.mouse.click(x, y)
    assert p.js("() => paperkg.state.selected") == "entity:cifar-10"
    panel = p.panel()
    assert "CIFAR-10" in panel and "Dataset" in panel and "4 papers" in panel
    assert "Variational Autoencoders for Image Generation" in panel
    assert p.js("() => document.querySelectorAll('#pk-panel .pk-evidence mark').length") >= 4
    assert p.js("() => [...document.querySelectorAll('#pk-panel .pk-evidence mark')].every(m => m.textContent === 'CIFAR-10')")
    dimmed = p.js("() => paperkg.nodes.get('entity:elbo').color.background")
    assert dimmed == "#eef1f5"  # not a neighbour of CIFAR-10
    assert p.errors == []


def test_page_xss_strings_stay_text(open_page):
    p = open_page(_xss_graph())
    for node in p.js("() => paperkg.data.nodes.map(n => n.id)"):
        p.js("id => paperkg.select(id, {focus: false})", node)
        pos = p.js("""id => {
            const dom = paperkg.network.canvasToDOM(paperkg.network.getPositions([id])[id]);
            const box = document.querySelector('#pk-graph canvas').getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""", node)
        p.page.mouse.move(*pos)
        p.page.wait_for_timeout(250)  # the tooltip appears after 120 ms
        assert p.js("() => window.__pwned") is None
    p.js("id => paperkg.select(id, {focus: false})", "entity:evil")
    assert IMG in p.panel() and JS_URL in p.panel()
    p.js("id => paperkg.select(id, {focus: false})", "paper:evil/1")
    assert SCRIPT in p.panel() and IMG in p.panel()
    assert p.js("() => document.querySelectorAll('#pk-panel img, #pk-panel script, .vis-tooltip img').length") == 0
    assert p.js("() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))") == []
    tooltip = p.js("() => document.querySelector('.vis-tooltip').innerText")
    assert "<" in tooltip  # the last hovered title, shown as text
    p.page.fill("#pk-search", SCRIPT)
    p.page.press("#pk-search", "Enter")
    assert p.js("() => paperkg.state.selected") == "entity:variational-autoencoder"
    assert p.js("() => window.__pwned") is None
    assert p.dialogs == [] and p.blocked == [] and p.errors == []


def test_graph_html_iframe_draws_inside_a_notebook_like_host(browser, tmp_path):
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body><h1>cell output</h1>"
                    + graph_html(tiny_graph(), height=500)._repr_html_() + "</body></html>", encoding="utf-8")
    context = browser.new_context()
    blocked: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url == host.as_uri() else (
        blocked.append(r.request.url), r.abort()))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(host.as_uri())
    frame = page.frames[1]
    frame.wait_for_function("window.paperkg && window.paperkg.nodes.length === 13")
    frame.evaluate("() => paperkg.search('VAE')")
    assert frame.inner_text("#pk-panel-title") == "variational autoencoder"
    assert blocked == [] and errors == []
    context.close()


def test_page_marks_its_first_drawing(open_page):
    p = open_page(tiny_graph())
    p.page.wait_for_timeout(200)
    marks = p.js("() => performance.getEntriesByName('paperkg-drawn').map(m => m.startTime)")
    assert len(marks) == 1 and marks[0] > 0


def test_page_header_counts_follow_the_filters(open_page):
    p = open_page(corpus_graph())
    assert p.page.inner_text("#pk-stats") == "12 papers, 31 entities, 21 relations — showing 43 of 43 nodes"
    assert p.page.inner_text("#pk-filter-note") == ""
    p.page.fill("#pk-minpc", "3")
    p.page.dispatch_event("#pk-minpc", "input")
    shown = p.js("() => paperkg.nodes.get({filter: n => !n.hidden}).length")
    small = p.js("() => paperkg.data.nodes.filter(n => n.kind === 'entity' && n.pc < 3).length")
    assert 0 < shown < 43 and small > 0
    assert p.page.inner_text("#pk-stats").endswith(f"showing {shown} of 43 nodes")
    assert p.page.inner_text("#pk-filter-note").startswith(f"Entities in fewer than 3 papers are hidden ({small});")


def test_page_colours_by_community_and_filters_communities(open_page):
    p = open_page(corpus_graph())
    colour = "() => paperkg.nodes.get('entity:fid').color.background"
    assert p.js(colour) == "#e15759"  # Metric
    assert p.js("() => document.getElementById('pk-communities-box').hidden") is True
    p.page.click("#pk-colour-community")
    fid = p.js("() => paperkg.data.nodes.find(n => n.id === 'entity:fid')")
    communities = p.js("() => paperkg.data.communities")
    assert p.js(colour) == communities[fid["c"]]["color"]
    assert p.js("() => paperkg.nodes.get('paper:2301.00101').color.background") == "#cbd5e1"  # papers stay grey
    assert p.page.get_attribute("#pk-colour-community", "aria-pressed") == "true"
    assert p.page.locator("#pk-communities li").count() == len(communities)
    members = sorted(p.js("c => paperkg.data.nodes.filter(n => n.c === c).map(n => n.id)", fid["c"]))
    p.page.click(f'#pk-communities button[data-community="{fid["c"]}"]')
    hidden = p.js("() => paperkg.nodes.get({filter: n => n.hidden && n.id.startsWith('entity:')}).map(n => n.id)")
    assert sorted(hidden) == members
    p.page.click("#pk-colour-type")
    assert p.js(colour) == "#e15759"
    assert p.js("() => document.getElementById('pk-communities-box').hidden") is True
    assert p.errors == [] and p.blocked == []


def test_page_community_colours_survive_a_selection(open_page):
    p = open_page(corpus_graph(), color_by="community")
    fid = p.js("() => paperkg.data.nodes.find(n => n.id === 'entity:fid')")
    expected = p.js("c => paperkg.data.communities[c].color", fid["c"])
    assert p.js("() => paperkg.nodes.get('entity:fid').color.background") == expected
    p.js("() => paperkg.select('entity:fid', {focus: false})")
    assert p.js("() => paperkg.nodes.get('entity:fid').color.background") == expected
    p.js("() => paperkg.clearSelection()")
    assert p.js("() => paperkg.nodes.get('entity:fid').color.background") == expected


def test_page_large_graph_first_view_is_readable(open_page):
    G = zipf_graph(600)
    p = open_page(G)
    source = p.path.read_text(encoding="utf-8")
    data = _data(source)
    # The page's live header says what Python wrote: how much the start filter hides.
    assert htmllib.escape(p.page.inner_text("#pk-stats"), quote=True) in source
    note = p.page.inner_text("#pk-filter-note")
    assert note.startswith(f"Entities in fewer than {data['start_pc']} papers are hidden")
    assert htmllib.escape(note, quote=True) in source
    p.page.wait_for_timeout(300)
    scale = p.js("() => paperkg.network.getScale()")
    labelled = p.js("() => paperkg.landmarks()")
    # Zoomed out this far, vis-network would draw no label; the landmark labels are drawn instead.
    fonts = {n["id"]: n["font"] for n in data["nodes"]}
    assert all(fonts[i] * scale < 8 for i in labelled)
    assert 20 <= len(labelled) <= 40
    order = [i for i in data["landmarks"] if i in set(labelled)]
    assert labelled == order and labelled[0] == "entity:e0"  # the most cited entity first
    # Around a selection, the labels go to the node and its neighbours.
    p.js("() => paperkg.select('entity:e5', {focus: false})")
    p.page.wait_for_timeout(200)
    around = p.js("() => paperkg.landmarks()")
    neighbours = set(p.js("() => paperkg.network.getConnectedNodes('entity:e5')"))
    assert around[0] == "entity:e5" and set(around[1:]) <= neighbours and len(around) > 3
    assert p.errors == [] and p.blocked == []


def test_page_min_papers_one_draws_everything_with_labels(open_page):
    p = open_page(zipf_graph(600), min_papers=1)
    assert p.page.inner_text("#pk-stats").endswith("showing 600 of 600 nodes")
    assert p.js("() => paperkg.nodes.get({filter: n => n.hidden}).length") == 0
    p.page.wait_for_timeout(300)
    assert len(p.js("() => paperkg.landmarks()")) >= 20
