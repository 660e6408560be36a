"""Build the NetworkX graph of papers and entities (the contract of DESIGN.md).

Node ids: ``paper:<paper id>`` and ``entity:<slug>``. Edge keys are relation names.
Paper → entity: ``mentions`` (``count``, ``evidence``) and ``proposes`` (``evidence``);
entity → entity: ``evaluatedOn``, ``usedFor``, ``isA``, ``comparedWith``, ``uses``, each
with ``support`` (number of papers) and ``evidence``. Co-mention is derived in
:mod:`paperkg.analyze`, not stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import networkx as nx

from . import __version__
from .models import ENTITY_RELATIONS, FIELDS, Paper, PaperExtraction
from .resolve import Resolution

__all__ = ["PAPER", "ENTITY", "SIGNATURES", "paper_node", "entity_node", "build_graph", "graph_from_extractions"]

PAPER, ENTITY = "paper", "entity"

#: Allowed (subject type, object type) of each entity relation; ``None`` = any type.
#: ``isA`` links entities of the same type. Relations that do not fit after resolution
#: (a name typed differently corpus-wide) are dropped, so the export meets the shapes.
SIGNATURES: dict[str, tuple[str | None, str | None]] = {
    "evaluatedOn": ("Method", "Dataset"),
    "usedFor": ("Method", "Task"),
    "comparedWith": ("Method", "Method"),
    "uses": ("Method", None),
    "isA": (None, None),
}


def _fits(predicate: str, subject_type: str, object_type: str) -> bool:
    if predicate == "isA":
        return subject_type == object_type
    want_s, want_o = SIGNATURES[predicate]
    return (want_s is None or want_s == subject_type) and (want_o is None or want_o == object_type)


def paper_node(paper_id: str) -> str:
    """Node id of a paper."""
    return f"paper:{paper_id}"


def entity_node(entity_id: str) -> str:
    """Node id of an entity."""
    return f"entity:{entity_id}"


def graph_from_extractions(
    extractions: Sequence[PaperExtraction], resolution: Resolution, *, skipped: int = 0
) -> nx.MultiDiGraph:
    """Assemble the graph from per-paper extractions and their resolution.

    Deterministic: nodes and edges are added in sorted order, evidence lists are sorted.
    """
    G = nx.MultiDiGraph(name="paperkg", paperkg_version=__version__, papers=len(extractions), skipped=skipped)
    for ex in sorted(extractions, key=lambda e: e.paper.id):
        G.add_node(paper_node(ex.paper.id), **_paper_attrs(ex.paper))
    mention_ev: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for ex in extractions:
        for m in ex.mentions:
            eid = resolution.entity_of(ex.paper.id, m.key)
            if eid is not None:
                mention_ev[(ex.paper.id, eid)].append(
                    {"field": m.field, "start": m.start, "end": m.end, "text": m.text}
                )
    papers_of: dict[str, set[str]] = defaultdict(set)
    mention_count: dict[str, int] = defaultdict(int)
    for (pid, eid), ev in mention_ev.items():
        papers_of[eid].add(pid)
        mention_count[eid] += len(ev)
    for eid in sorted(papers_of):
        ent = resolution.entities[eid]
        G.add_node(
            entity_node(eid), kind=ENTITY, id=eid, label=ent.label, type=ent.type, aliases=list(ent.aliases),
            paper_count=len(papers_of[eid]), mention_count=mention_count[eid],
        )
    for (pid, eid), ev in sorted(mention_ev.items()):
        ev.sort(key=_ev_key)
        G.add_edge(paper_node(pid), entity_node(eid), key="mentions", count=len(ev), evidence=ev)
    relations: dict[tuple[str, str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    proposes: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for ex in extractions:
        pid = ex.paper.id
        for r in ex.relations:
            obj = resolution.entity_of(pid, r.object)
            if obj is None or obj not in papers_of:
                continue
            ev = {"field": r.field, "start": r.start, "end": r.end}
            if r.predicate == "proposes":
                proposes[(pid, obj)].append(ev)
                continue
            subj = resolution.entity_of(pid, r.subject)
            if subj is None or subj == obj or r.predicate not in ENTITY_RELATIONS or subj not in papers_of:
                continue
            if not _fits(r.predicate, resolution.entities[subj].type, resolution.entities[obj].type):
                continue
            relations[(subj, r.predicate, obj)][pid].append(ev)
    for child, parent, papers in resolution.isa:
        if child in papers_of and parent in papers_of and child != parent and _fits(
            "isA", resolution.entities[child].type, resolution.entities[parent].type
        ):
            for pid in papers:
                relations[(child, "isA", parent)].setdefault(pid, [])
    for (pid, eid), ev in sorted(proposes.items()):
        G.add_edge(paper_node(pid), entity_node(eid), key="proposes", evidence=sorted(_dedupe(ev), key=_ev_key))
    for (subj, pred, obj), by_paper in sorted(relations.items()):
        evidence = sorted(
            ({"paper": pid, **e} for pid, evs in by_paper.items() for e in _dedupe(evs)),
            key=lambda e: (e["paper"], *_ev_key(e)),
        )
        G.add_edge(entity_node(subj), entity_node(obj), key=pred, support=len(by_paper), evidence=evidence)
    return G


def build_graph(papers: Iterable[Paper], *, extractor=None, progress=None, n_process: int = 1) -> nx.MultiDiGraph:
    """Extract, resolve and assemble the graph of ``papers``.

    Parameters
    ----------
    papers : iterable of Paper
        E.g. ``paperkg.read_papers("papers.jsonl")``.
    extractor : paperkg.extract.Extractor, optional
        Reuse a loaded extractor (the spaCy pipeline loads once).
    progress : callable, optional
        Called with each :class:`PaperExtraction` as it is produced.

    Returns
    -------
    networkx.MultiDiGraph
    """
    from .build import extract_and_resolve

    extractions, resolution = extract_and_resolve(papers, extractor=extractor, on_paper=progress, n_process=n_process)
    return graph_from_extractions(extractions, resolution)


def _ev_key(e: dict) -> tuple:
    return (FIELDS.index(e["field"]), e["start"], e["end"])


def _dedupe(evs: list[dict]) -> list[dict]:
    seen, out = set(), []
    for e in evs:
        k = (e["field"], e["start"], e["end"])
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def _paper_attrs(p: Paper) -> dict:
    return {
        "kind": PAPER, "id": p.id, "title": p.title, "abstract": p.abstract, "year": p.year, "date": p.date,
        "authors": list(p.authors), "url": p.url, "categories": list(p.categories), "source": p.source,
    }
