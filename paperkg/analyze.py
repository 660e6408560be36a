"""Analysis of a paperkg graph: networkx-style functions that take ``G`` and return plain data.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("paper:1", kind="paper", title="A")
>>> G.add_node("entity:vae", kind="entity", label="variational autoencoder", type="Method", aliases=["VAE"], paper_count=1, mention_count=2)
>>> G.add_node("entity:cifar-10", kind="entity", label="CIFAR-10", type="Dataset", aliases=[], paper_count=1, mention_count=1)
>>> G.add_edge("paper:1", "entity:vae", key="mentions", count=2)
'mentions'
>>> G.add_edge("paper:1", "entity:cifar-10", key="mentions", count=1)
'mentions'
>>> G.add_edge("entity:vae", "entity:cifar-10", key="evaluatedOn", support=1)
'evaluatedOn'
>>> top_entities(G, n=1)["Method"]
[('variational autoencoder', 1)]
>>> method_dataset_pairs(G)
[('variational autoencoder', 'CIFAR-10', 1)]
>>> co_mentioned(G, "VAE")
[('CIFAR-10', 1)]
"""

from __future__ import annotations

import difflib
from collections import Counter

import networkx as nx

from .errors import PaperkgError
from .models import ENTITY_TYPES

__all__ = [
    "entities",
    "papers",
    "summary",
    "find_entity",
    "top_entities",
    "method_dataset_pairs",
    "relation_pairs",
    "co_mention_graph",
    "co_mentioned",
    "communities",
    "entity_profile",
]


def entities(G: nx.MultiDiGraph, type: str | None = None) -> list[str]:
    """Entity node ids, optionally of one ``type``, sorted."""
    return sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "entity" and (type is None or d["type"] == type))


def papers(G: nx.MultiDiGraph) -> list[str]:
    """Paper node ids, sorted."""
    return sorted(n for n, d in G.nodes(data=True) if d.get("kind") == "paper")


def summary(G: nx.MultiDiGraph) -> dict:
    """Counts: papers, entities (and per type), relation edges (and per predicate)."""
    types = Counter(d["type"] for _, d in G.nodes(data=True) if d.get("kind") == "entity")
    preds = Counter(k for _, _, k in G.edges(keys=True))
    return {
        "papers": len(papers(G)),
        "entities": sum(types.values()),
        "entities_by_type": {t: types.get(t, 0) for t in ENTITY_TYPES},
        "relations": sum(n for k, n in preds.items() if k != "mentions"),
        "edges_by_predicate": dict(sorted(preds.items())),
    }


def find_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The entity node whose label or alias is ``name`` (case-insensitive; plural tolerant).

    Raises
    ------
    PaperkgError
        When nothing matches; the message suggests close labels.
    """
    from .nlp.normalize import match_key

    wanted, key = name.strip().lower(), match_key(name)
    exact, loose = [], []
    for n, d in G.nodes(data=True):
        if d.get("kind") != "entity":
            continue
        forms = [d["label"], *d.get("aliases", [])]
        if any(f.lower() == wanted for f in forms):
            exact.append(n)
        elif any(match_key(f) == key for f in forms):
            loose.append(n)
    found = sorted(exact or loose, key=lambda n: -G.nodes[n].get("paper_count", 0))
    if found:
        return found[0]
    labels = [d["label"] for _, d in G.nodes(data=True) if d.get("kind") == "entity"]
    close = difflib.get_close_matches(name, labels, n=5, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise PaperkgError(f"no entity named {name!r} in the graph (labels and aliases searched){hint}")


def top_entities(G: nx.MultiDiGraph, n: int = 10, type: str | None = None) -> dict[str, list[tuple[str, int]]]:
    """The ``n`` entities mentioned by most papers, per type: ``{type: [(label, papers), ...]}``."""
    out: dict[str, list[tuple[str, int]]] = {}
    for typ in ([type] if type else ENTITY_TYPES):
        rows = [(G.nodes[e]["label"], G.nodes[e]["paper_count"]) for e in entities(G, typ)]
        out[typ] = sorted(rows, key=lambda r: (-r[1], r[0].lower()))[:n]
    return out


def relation_pairs(G: nx.MultiDiGraph, predicate: str) -> list[tuple[str, str, int]]:
    """``(subject label, object label, support)`` of every ``predicate`` edge, most supported first."""
    rows = [
        (G.nodes[u]["label"], G.nodes[v]["label"], d.get("support", 1))
        for u, v, k, d in G.edges(keys=True, data=True)
        if k == predicate and G.nodes[u].get("kind") == "entity"
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0].lower(), r[1].lower()))


def method_dataset_pairs(G: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    """Methods and the datasets they are evaluated on, with the number of supporting papers."""
    return relation_pairs(G, "evaluatedOn")


def co_mention_graph(G: nx.MultiDiGraph, *, min_papers: int = 1) -> nx.Graph:
    """Entity–entity graph, edge ``weight`` = number of papers mentioning both."""
    H = nx.Graph()
    for e in entities(G):
        H.add_node(e, **{k: G.nodes[e][k] for k in ("label", "type")})
    weights: Counter = Counter()
    for p in papers(G):
        ents = sorted({v for _, v, k in G.out_edges(p, keys=True) if k == "mentions"})
        for i, a in enumerate(ents):
            for b in ents[i + 1 :]:
                weights[(a, b)] += 1
    for (a, b), w in sorted(weights.items()):
        if w >= min_papers:
            H.add_edge(a, b, weight=w)
    return H


def co_mentioned(G: nx.MultiDiGraph, name: str, n: int = 10) -> list[tuple[str, int]]:
    """Entities mentioned in the same papers as ``name`` (label or alias): ``[(label, papers)]``."""
    target = find_entity(G, name)
    mine = {p for p, _, k in G.in_edges(target, keys=True) if k == "mentions"}
    counts: Counter = Counter()
    for p in mine:
        for _, v, k in G.out_edges(p, keys=True):
            if k == "mentions" and v != target:
                counts[v] += 1
    rows = [(G.nodes[v]["label"], c) for v, c in counts.items()]
    return sorted(rows, key=lambda r: (-r[1], r[0].lower()))[:n]


def communities(G: nx.MultiDiGraph, *, seed: int = 42, resolution: float = 1.0) -> list[list[str]]:
    """Louvain communities of the co-mention graph, as lists of entity labels (largest first)."""
    H = co_mention_graph(G)
    if H.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(H, weight="weight", seed=seed, resolution=resolution)
    groups = [sorted(H.nodes[n]["label"] for n in part) for part in parts]
    return sorted(groups, key=lambda g: (-len(g), g[0].lower()))


def entity_profile(G: nx.MultiDiGraph, name: str) -> dict:
    """Everything about one entity: label, type, aliases, papers, relations, co-mentions."""
    node = find_entity(G, name)
    d = G.nodes[node]
    paper_ids = sorted(p for p, _, k in G.in_edges(node, keys=True) if k == "mentions")
    relations = []
    for u, v, k, data in list(G.out_edges(node, keys=True, data=True)) + list(G.in_edges(node, keys=True, data=True)):
        if k in ("mentions",):
            continue
        relations.append({"subject": G.nodes[u].get("label") or G.nodes[u].get("title"), "predicate": k,
                          "object": G.nodes[v]["label"], "support": data.get("support", 1)})
    return {
        "id": d["id"], "label": d["label"], "type": d["type"], "aliases": list(d.get("aliases", [])),
        "paper_count": d.get("paper_count", 0), "mention_count": d.get("mention_count", 0),
        "papers": [{"id": G.nodes[p]["id"], "title": G.nodes[p]["title"], "year": G.nodes[p].get("year")} for p in paper_ids],
        "relations": sorted(relations, key=lambda r: (r["predicate"], str(r["subject"]), r["object"])),
        "co_mentioned": co_mentioned(G, d["label"]),
    }
