"""Interactive, self-contained HTML view of a paperkg graph.

The page is one file that works offline: the graph data, the vis-network library,
our CSS and our JavaScript are all inline, and a Content-Security-Policy meta tag
(``default-src 'none'``, scripts allowed only by their SHA-256 hash) guarantees that
the page makes no network request and runs no script it did not ship with.

Design decisions
----------------
* **vis-network comes from the installed pyvis package.** pyvis 0.3.2 is already a
  pinned dependency and ships ``templates/lib/vis-9.1.2/vis-network.min.js`` (the
  standalone UMD build, dual Apache-2.0/MIT, licence header kept in the embedded
  text). Reading it with :mod:`importlib.resources` at build time avoids vendoring a
  second, 470 kB copy into our repository and keeps one version to audit. We do *not*
  use pyvis' page template: it loads Bootstrap from a CDN and renders tooltips as
  HTML. The page template, CSS and JS in ``paperkg/export/assets/`` are ours.
* **Untrusted text stays text.** All graph data travels as JSON in
  ``<script type="application/json" id="paperkg-data">`` with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, so a title containing ``</script>`` cannot end the
  element; the page reads it with ``JSON.parse(textContent)`` and inserts strings
  only with ``textContent``/``createElement``. Tooltips are plain strings, which
  vis-network 9 renders with ``innerText``. Links are emitted only for ``http(s)``
  URLs (checked in Python and again in the page). The only markup built in Python
  (title, header lines) goes through :func:`html.escape`.
* **Layout is precomputed and deterministic** (:mod:`paperkg.export.layout`): a seeded
  Fruchterman-Reingold layout per connected component (exact up to 1,500 nodes, on an
  FFT grid above, so 20,000 nodes take seconds, not minutes), label overlaps removed,
  components packed in rows, whole pixels. Physics is off, so the page draws at once;
  "Relax layout" runs physics for a few seconds on demand. Everything is sorted, there
  are no timestamps, and the same graph gives a byte-identical page.
* **Node budget.** Above ``max_nodes`` the top entities are kept, ranked by
  ``paper_count`` (``rank="papers"``) or by PageRank (``rank="pagerank"``), together
  with the papers that link the most kept entities; the header says what was cut.
* **A readable first view.** Zoomed out, vis-network draws no labels, so the page draws
  the labels of the ~40 most-cited visible entities itself (at a fixed screen size,
  skipping any that would overlap; around a selection, the selected node's
  neighbours instead). Pages above 400 nodes also start with a "Min. papers" filter
  that leaves at most 150 entities, and the header says how many it hides.
* **Communities.** Louvain communities of the co-mention graph (as
  :func:`paperkg.analyze.communities`) colour the nodes on demand ("Colour by:
  Community") and can be hidden one by one.

What this module does not do: it does not edit the graph, fetch anything, or keep a
server running; the page does not save state.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph(name="paperkg")
>>> G.add_node("paper:p1", kind="paper", id="p1", title="Deep VAEs", abstract="We train a VAE.",
...            year=2020, authors=[], url=None)
>>> G.add_node("entity:variational-autoencoder", kind="entity", id="variational-autoencoder",
...            label="variational autoencoder", type="Method", aliases=["VAE"],
...            paper_count=1, mention_count=1)
>>> _ = G.add_edge("paper:p1", "entity:variational-autoencoder", key="mentions", count=1,
...                evidence=[{"field": "abstract", "start": 11, "end": 14, "text": "VAE"}])
>>> page = to_html(G, title="demo")
>>> page.startswith("<!DOCTYPE html>") and page == to_html(G, title="demo")
True
>>> "1 papers, 1 entities, 0 relations" in page
True
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from paperkg.errors import ExportError
from paperkg.export.layout import Box, compute_layout
from paperkg.io import write_atomic
from paperkg.models import ENTITY_RELATIONS, ENTITY_TYPES

__all__ = ["to_html", "write_html", "graph_html", "show", "HtmlGraph", "TYPE_COLORS", "RELATION_STYLES"]

#: Fill and border colour per entity type (Tableau 10, readable on white).
TYPE_COLORS: dict[str, tuple[str, str]] = {
    "Method": ("#4e79a7", "#35587d"),
    "Dataset": ("#f28e2b", "#c46a12"),
    "Task": ("#59a14f", "#3d7a35"),
    "Metric": ("#e15759", "#b23a3c"),
    "Concept": ("#b07aa1", "#86577a"),
}
_PAPER_COLORS = ("#cbd5e1", "#8794a8")
_UNKNOWN_COLORS = ("#d1d5db", "#9ca3af")

#: Drawing style per edge key: colour, width, dashes (False, True or "dotted"), arrow.
RELATION_STYLES: dict[str, dict[str, Any]] = {
    "mentions": {"color": "#cfd5dd", "width": 0.7, "dashes": False, "arrow": False},
    "proposes": {"color": "#334155", "width": 1.4, "dashes": True, "arrow": True},
    "evaluatedOn": {"color": "#d97706", "width": 1.6, "dashes": False, "arrow": True},
    "usedFor": {"color": "#16a34a", "width": 1.6, "dashes": False, "arrow": True},
    "isA": {"color": "#7c3aed", "width": 1.6, "dashes": "dotted", "arrow": True},
    "comparedWith": {"color": "#dc2626", "width": 1.6, "dashes": True, "arrow": False},
    "uses": {"color": "#2563eb", "width": 1.6, "dashes": False, "arrow": True},
}
_UNKNOWN_RELATION = {"color": "#9ca3af", "width": 1.0, "dashes": False, "arrow": True}
_RELATION_ORDER = ("mentions", "proposes") + tuple(ENTITY_RELATIONS)

_VIS_RESOURCE = ("pyvis", "templates/lib/vis-9.1.2/vis-network.min.js")
_CSP = (
    "default-src 'none'; script-src {scripts}; style-src {styles}; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_RANKS = ("papers", "pagerank")
_COLOR_MODES = ("type", "community")
#: Colours of the largest communities (Tableau 10 plus two); the rest share _OTHER_COMMUNITY.
_COMMUNITY_COLORS = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#8c6d31",
)
_OTHER_COMMUNITY = ("#d1d5db", "#9ca3af")
#: Pages above this many nodes start with a min-papers filter ...
_AUTO_FILTER_NODES = 400
#: ... that leaves at most this many entities.
_START_ENTITIES = 150
#: Entities whose labels the page may draw at every zoom (the JS shows the first ~40 that fit).
_LANDMARKS = 200
_MAX_PANEL_PAPERS = 60
_MAX_PANEL_RELATIONS = 60
_MAX_EVIDENCE = 10
_SNIPPET_CHARS = 260
_ABSTRACT_CHARS = 4000
_TITLE_CHARS = 34


# --------------------------------------------------------------------------- public API


def to_html(
    G: nx.MultiDiGraph,
    *,
    max_nodes: int = 2000,
    title: str = "paperkg",
    types: Iterable[str] | None = None,
    focus: str | None = None,
    depth: int = 2,
    seed: int = 42,
    rank: str = "papers",
    color_by: str = "type",
    min_papers: int | None = None,
) -> str:
    """Return a self-contained interactive HTML page that draws ``G``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph following the paperkg contract (``paper:*`` and ``entity:*`` nodes).
    max_nodes : int
        Largest number of nodes drawn; above it the most-cited entities and the papers
        that connect them are kept and the header says what was cut.
    title : str
        Page title and heading (plain text).
    types : iterable of str, optional
        Keep only entities of these types (``"Method"``, ``"Dataset"``, ...) and the
        papers connected to them.
    focus : str, optional
        Label or alias (case-insensitive) of an entity: keep only its neighbourhood.
    depth : int
        Radius of the ``focus`` neighbourhood, counted in undirected edges
        (entity → paper → entity is 2).
    seed : int
        Seed of the layout and of the Louvain communities; the same graph and seed give
        a byte-identical page.
    rank : {"papers", "pagerank"}
        How the node budget ranks entities: by ``paper_count``, or by PageRank on the
        undirected paper–entity–relation graph (which also rewards entities with many
        relations). Ties go to the label.
    color_by : {"type", "community"}
        Initial node colouring; the page has a toggle. Communities are Louvain
        communities of the co-mention graph of the drawn entities (the partition of
        :func:`paperkg.analyze.communities` when nothing is cut).
    min_papers : int, optional
        Initial value of the page's "Min. papers per entity" filter. By default it is 1,
        except for pages above 400 nodes, which start with the smallest threshold
        that leaves at most 150 entities (the header says how many are hidden; the
        slider and the search bring them back).

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ExportError
        If ``G`` is not a multigraph, an argument is invalid, or ``focus`` matches no
        entity (the message lists close matches).

    See Also
    --------
    write_html, graph_html, show
    """
    _check_args(G, max_nodes=max_nodes, depth=depth, seed=seed)
    _check_choice("rank", rank, _RANKS)
    _check_choice("color_by", color_by, _COLOR_MODES)
    if min_papers is not None and (not isinstance(min_papers, int) or isinstance(min_papers, bool) or min_papers < 1):
        raise ExportError(f"min_papers must be None (automatic) or an int >= 1, got {min_papers!r}")
    total = _graph_stats(G)
    kept, notes = _select_nodes(G, types=types, focus=focus, depth=depth, max_nodes=max_nodes, rank=rank)
    payload = _payload(G, kept, title=title, seed=seed)
    payload["color_by"] = color_by
    payload["start_pc"] = _start_min_pc(payload, min_papers)
    payload["totals"] = (
        f"{total['papers']:,} papers, {total['entities']:,} entities, {total['relations']:,} relations"
    )
    payload["all_nodes"] = total["nodes"]
    shown, hidden = _initial_view(payload)
    stats = f"{payload['totals']} \u2014 showing {shown:,} of {total['nodes']:,} nodes"
    return _render_page(title=title, stats=stats, cut="; ".join(notes), note=_filter_note(payload["start_pc"], hidden),
                        payload=payload)


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], **kw: Any) -> Path:
    """Write :func:`to_html` of ``G`` to ``path`` atomically and return the path.

    The page goes through :func:`paperkg.io.write_atomic` (a temporary file in the same
    directory, then :func:`os.replace`), so readers never see half a file; missing
    parent directories are created.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph.
    path : str or os.PathLike
        Destination file.
    **kw
        Keyword arguments of :func:`to_html`.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return write_atomic(path, to_html(G, **kw))


@dataclass(frozen=True)
class HtmlGraph:
    """An HTML page that notebooks (Jupyter, VS Code, Colab) display inline.

    ``_repr_html_`` wraps the page in a sandboxed ``<iframe srcdoc=...>`` so its
    scripts and styles cannot touch the notebook; ``html`` is the full page.
    """

    html: str = dataclasses.field(repr=False)
    height: int = 640

    def _repr_html_(self) -> str:
        srcdoc = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{srcdoc}" title="paperkg graph" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #e5e7eb;border-radius:6px">'
            "</iframe>"
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` atomically and return the path."""
        return write_atomic(path, self.html)


def graph_html(G: nx.MultiDiGraph, *, height: int = 640, **kw: Any) -> HtmlGraph:
    """Return an object that displays the graph inline in a notebook.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph.
    height : int
        Height of the inline frame in pixels.
    **kw
        Keyword arguments of :func:`to_html`.

    Examples
    --------
    >>> import networkx as nx
    >>> frame = graph_html(nx.MultiDiGraph(), height=300)
    >>> frame._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    if not isinstance(height, int) or isinstance(height, bool) or height < 100:
        raise ExportError(f"height must be an int >= 100 (pixels), got {height!r}")
    return HtmlGraph(to_html(G, **kw), height)


def show(G: nx.MultiDiGraph, **kw: Any) -> None:
    """Display the graph inline with IPython (Jupyter, VS Code, Colab).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph.
    **kw
        Keyword arguments of :func:`graph_html` and :func:`to_html`.

    Raises
    ------
    ExportError
        If IPython is not installed; use :func:`write_html` and open the file instead.
    """
    try:
        from IPython.display import display
    except ImportError as err:
        raise ExportError(
            "show() needs IPython (run it in Jupyter, VS Code or Colab); "
            "otherwise call write_html(G, 'graph.html') and open the file in a browser"
        ) from err
    display(graph_html(G, **kw))


# --------------------------------------------------------------------------- checks and stats


def _check_args(G: Any, *, max_nodes: Any, depth: Any, seed: Any) -> None:
    if not isinstance(G, nx.Graph) or not G.is_multigraph() or not G.is_directed():
        raise ExportError(
            f"expected the networkx.MultiDiGraph built by paperkg.graph.build_graph, got {type(G).__name__}"
        )
    for name, value, low in (("max_nodes", max_nodes, 1), ("depth", depth, 0), ("seed", seed, 0)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ExportError(f"{name} must be an int >= {low}, got {value!r}")


def _check_choice(name: str, value: Any, options: tuple[str, ...]) -> None:
    if value not in options:
        raise ExportError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r}")


def _kind(data: Mapping[str, Any]) -> str:
    return str(data.get("kind", ""))


def _graph_stats(G: nx.MultiDiGraph) -> dict[str, int]:
    papers = sum(1 for _, d in G.nodes(data=True) if _kind(d) == "paper")
    entities = sum(1 for _, d in G.nodes(data=True) if _kind(d) == "entity")
    relations = sum(1 for _, _, k in G.edges(keys=True) if k != "mentions")
    return {"papers": papers, "entities": entities, "relations": relations, "nodes": papers + entities}


def _label(G: nx.MultiDiGraph, node: str) -> str:
    data = G.nodes[node]
    if _kind(data) == "paper":
        return _text(data.get("title")) or _text(data.get("id")) or node
    return _text(data.get("label")) or _text(data.get("id")) or node


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _aliases(data: Mapping[str, Any]) -> list[str]:
    raw = data.get("aliases") or []
    return sorted({_text(a) for a in raw if _text(a)}, key=lambda a: (a.casefold(), a))


def _entity_sort_key(G: nx.MultiDiGraph, node: str) -> tuple[int, str, str]:
    return (-_int(G.nodes[node].get("paper_count")), _label(G, node).casefold(), node)


# --------------------------------------------------------------------------- node selection


def _select_nodes(
    G: nx.MultiDiGraph,
    *,
    types: Iterable[str] | None,
    focus: str | None,
    depth: int,
    max_nodes: int,
    rank: str = "papers",
) -> tuple[set[str], list[str]]:
    """Return the nodes to draw and human-readable notes on what was left out."""
    nodes = {n for n, d in G.nodes(data=True) if _kind(d) in ("paper", "entity")}
    notes: list[str] = []
    if types is not None:
        nodes, note = _filter_types(G, nodes, types)
        notes.append(note)
    if focus is not None:
        nodes, note = _ego(G, nodes, focus, depth)
        notes.append(note)
    if len(nodes) > max_nodes:
        nodes, note = _budget(G, nodes, max_nodes, rank=rank)
        notes.append(note)
    return nodes, notes


def _filter_types(G: nx.MultiDiGraph, nodes: set[str], types: Iterable[str]) -> tuple[set[str], str]:
    if isinstance(types, str):
        types = [types]
    wanted = list(dict.fromkeys(types))
    bad = [t for t in wanted if t not in ENTITY_TYPES]
    if bad or not wanted:
        raise ExportError(f"types must be a non-empty subset of {', '.join(ENTITY_TYPES)}; got {wanted!r}")
    entities = {n for n in nodes if _kind(G.nodes[n]) == "entity" and G.nodes[n].get("type") in wanted}
    papers = {n for n in nodes if _kind(G.nodes[n]) == "paper" and any(e in entities for e in G.successors(n))}
    kept = entities | papers
    dropped_e = sum(1 for n in nodes if _kind(G.nodes[n]) == "entity") - len(entities)
    dropped_p = sum(1 for n in nodes if _kind(G.nodes[n]) == "paper") - len(papers)
    order = [t for t in ENTITY_TYPES if t in wanted]
    return kept, (
        f"types {', '.join(order)}: hid {dropped_e:,} other entities and {dropped_p:,} papers without them"
    )


def _find_entity(G: nx.MultiDiGraph, name: str, nodes: Iterable[str] | None = None) -> str:
    """Return the entity node whose label or alias is ``name`` (case-insensitive).

    A label match wins over an alias match; among several, the entity with more papers
    (then the smaller node id) wins. The node id itself (``entity:slug``) also works.
    Raises :class:`ExportError` with close matches when nothing matches.
    """
    pool = sorted(n for n in (G.nodes if nodes is None else nodes) if _kind(G.nodes[n]) == "entity")
    query = name.strip().casefold()
    for match_alias in (False, True):
        hits = [
            n
            for n in pool
            if (
                any(a.casefold() == query for a in _aliases(G.nodes[n]))
                if match_alias
                else _label(G, n).casefold() == query or n.casefold() == query
            )
        ]
        if hits:
            return min(hits, key=lambda n: _entity_sort_key(G, n))
    names = sorted({_label(G, n) for n in pool} | {a for n in pool for a in _aliases(G.nodes[n])})
    by_fold: dict[str, str] = {}
    for n in names:
        by_fold.setdefault(n.casefold(), n)
    close = [by_fold[c] for c in difflib.get_close_matches(query, list(by_fold), n=5, cutoff=0.6)]
    hint = f"did you mean: {', '.join(repr(c) for c in close)}?" if close else (
        "no similar label or alias; list the entities with `paperkg stats` or drop focus="
    )
    raise ExportError(f"focus={name!r} matches no entity label or alias in the graph; {hint}")


def _ego(G: nx.MultiDiGraph, nodes: set[str], focus: str, depth: int) -> tuple[set[str], str]:
    if not isinstance(focus, str) or not focus.strip():
        raise ExportError(f"focus must be a non-empty entity label or alias, got {focus!r}")
    try:
        center = _find_entity(G, focus, nodes)
    except ExportError:
        outside = _find_entity(G, focus)  # raises with suggestions when it is nowhere
        raise ExportError(
            f"focus={focus!r} is the {G.nodes[outside].get('type')} {_label(G, outside)!r}, "
            "which the types= filter excludes; add its type or drop focus="
        ) from None
    view = G.subgraph(nodes).to_undirected(as_view=True)
    kept = set(nx.single_source_shortest_path_length(view, center, cutoff=depth))
    return kept, (
        f"focus \u201c{_label(G, center)}\u201d (depth {depth}): hid {len(nodes) - len(kept):,} nodes"
    )


def _pagerank(G: nx.Graph, nodes: Iterable[str] | None = None, *, alpha: float = 0.85,
                    tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank of ``nodes`` in the undirected simple graph they span in ``G``.

    Power iteration in numpy (networkx' own ``pagerank`` needs SciPy, which paperkg
    does not depend on); edge direction, keys and multiplicity are ignored, and a node
    without edges spreads its score evenly, as in :func:`networkx.pagerank`. The
    scores sum to 1.

    Examples
    --------
    >>> import networkx as nx
    >>> scores = _pagerank(nx.star_graph(3))
    >>> max(scores, key=scores.get), round(sum(scores.values()), 6)
    (0, 1.0)
    """
    import numpy as np

    order = sorted(G.nodes if nodes is None else nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(order)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v]))
                    for u, v in G.subgraph(order).edges() if u != v})
    src = np.array([a for a, _ in pairs], dtype=np.intp)
    dst = np.array([b for _, b in pairs], dtype=np.intp)
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    dangling = degree == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = np.where(dangling, 0.0, x / np.maximum(degree, 1))
        new = np.bincount(dst, weights=share[src], minlength=n) + np.bincount(src, weights=share[dst], minlength=n)
        new = alpha * new + (alpha * x[dangling].sum() + 1.0 - alpha) / n
        done = np.abs(new - x).sum() < n * tol
        x = new
        if done:
            break
    return {node: float(x[i]) for i, node in enumerate(order)}


def _budget(G: nx.MultiDiGraph, nodes: set[str], max_nodes: int, *, rank: str = "papers") -> tuple[set[str], str]:
    if rank == "pagerank":
        scores = _pagerank(G, nodes)
        entities = sorted((n for n in nodes if _kind(G.nodes[n]) == "entity"),
                          key=lambda n: (-round(scores[n], 12), _label(G, n).casefold(), n))
    else:
        entities = sorted((n for n in nodes if _kind(G.nodes[n]) == "entity"), key=lambda n: _entity_sort_key(G, n))
    papers = sorted(n for n in nodes if _kind(G.nodes[n]) == "paper")
    n_entities = min(len(entities), max(max_nodes // 2, max_nodes - len(papers)))
    chosen = set(entities[:n_entities])
    links = {p: len(set(G.successors(p)) & chosen) for p in papers}
    ranked = sorted((p for p in papers if links[p]), key=lambda p: (-links[p], p))
    kept_papers = ranked[: max_nodes - n_entities]
    spare = max_nodes - n_entities - len(kept_papers)
    chosen.update(entities[n_entities : n_entities + spare])
    cut_entities = [n for n in entities if n not in chosen]
    cut_papers = len(papers) - len(kept_papers)
    most = max((_int(G.nodes[n].get("paper_count")) for n in cut_entities), default=0)
    if rank == "pagerank":
        top = min(cut_entities, key=lambda n: _entity_sort_key(G, n), default=None)
        detail = (f" (lowest PageRank; the most cited of them: \u201c{_short(_label(G, top), 40)}\u201d,"
                  f" {most:,} papers)") if top else ""
        how = " by PageRank"
    else:
        detail = f" (\u2264{most:,} papers each)" if cut_entities else ""
        how = ""
    return chosen | set(kept_papers), (
        f"max_nodes={max_nodes:,}{how}: cut {len(cut_entities):,} entities{detail} and {cut_papers:,} papers"
    )


# --------------------------------------------------------------------------- layout


def _box(entry: Mapping[str, Any]) -> Box:
    """Footprint of a drawn node: the shape plus its label underneath."""
    radius, font = float(entry["size"]), float(entry["font"])
    label_width = 0.56 * font * len(entry["label"])
    return (max(2 * radius, label_width) / 2 + 6, -radius - 4, radius + 1.3 * font + 4)


# --------------------------------------------------------------------------- payload


def _http_url(value: Any) -> str | None:
    if not isinstance(value, str) or any(c.isspace() for c in value) or len(value) > 2000:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-") + "\u2026"


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s)|\n")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span of the sentence around ``text[start:end]``.

    A sentence ends at ``.``/``!``/``?`` followed by whitespace, or at a newline. This
    heuristic also splits after abbreviations such as "e.g."; it is not a segmenter.

    Examples
    --------
    >>> text = "We study GANs. A VAE is trained on MNIST. It works."
    >>> text[slice(*_sentence_bounds(text, 17, 20))]
    'A VAE is trained on MNIST.'
    """
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.end() if m and m.group() != "\n" else (m.start() if m else len(text))
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def _snippet(text: str, spans: list[tuple[int, int]], *, limit: int = _SNIPPET_CHARS) -> list[list[Any]]:
    """Segments ``[[text, highlighted], ...]`` of the sentence holding ``spans``.

    ``spans`` are ``(start, end)`` offsets of mentions in one sentence of ``text``
    (the first one decides the sentence); a sentence longer than ``limit`` characters
    is cut around the first span, with ``…`` marking the cuts. Newlines become spaces.

    Examples
    --------
    >>> _snippet("We study GANs. The VAE beats a GAN. It works.", [(19, 22), (31, 34)])
    [['The ', False], ['VAE', True], [' beats a ', False], ['GAN', True], ['.', False]]
    """
    start, end = spans[0]
    left, right = _sentence_bounds(text, start, end)
    lo, hi = left, right
    if right - left > limit:
        lo = max(left, start - max(0, limit - (end - start)) // 2)
        hi = min(right, max(end, lo + limit))
        lo = min(start, max(left, hi - limit))
        space = text.find(" ", lo, start) if lo > left else -1
        lo = space + 1 if space != -1 else lo
        space = text.rfind(" ", end, hi) if hi < right else -1
        hi = space if space != -1 else hi
    segments: list[list[Any]] = [["\u2026", False]] if lo > left else []
    cursor = lo
    for s, e in sorted(spans):
        if s < cursor or e > hi:
            continue
        if s > cursor:
            segments.append([text[cursor:s], False])
        segments.append([text[s:e], True])
        cursor = e
    if cursor < hi:
        segments.append([text[cursor:hi], False])
    if hi < right:
        segments.append(["\u2026", False])
    merged: list[list[Any]] = []
    for seg_text, marked in segments:
        seg_text = seg_text.replace("\n", " ")
        if merged and not marked and not merged[-1][1]:
            merged[-1][0] += seg_text
        else:
            merged.append([seg_text, marked])
    return merged


def _paper_text(G: nx.MultiDiGraph, paper: str, field: Any) -> str:
    if field not in ("title", "abstract"):
        return ""
    return _text(G.nodes[paper].get(field))


def _evidence(G: nx.MultiDiGraph, entity: str, papers: list[str]) -> list[dict[str, Any]]:
    """Up to ``_MAX_EVIDENCE`` sentences, one per paper first, in the panel's paper order.

    Mentions of ``entity`` in the same sentence share one snippet with every mention
    highlighted. Evidence with offsets outside the field text is skipped.
    """
    per_paper: list[list[dict[str, Any]]] = []
    for paper in papers:
        data = G.get_edge_data(paper, entity, key="mentions") or {}
        sentences: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        for ev in data.get("evidence") or []:
            field = ev.get("field") if isinstance(ev, Mapping) else None
            text = _paper_text(G, paper, field)
            start, end = ev.get("start") if field else None, ev.get("end") if field else None
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                continue
            left, right = _sentence_bounds(text, start, end)
            sentences.setdefault((field != "title", left, right), []).append((start, end))
        items = []
        for (not_title, _, _), spans in sorted(sentences.items()):
            field = "abstract" if not_title else "title"
            spans = sorted(set(spans))
            items.append({"p": paper, "f": field, "s": _snippet(_paper_text(G, paper, field), spans)})
        per_paper.append(items)
    out: list[dict[str, Any]] = []
    for round_ in range(max((len(i) for i in per_paper), default=0)):
        for items in per_paper:
            if round_ < len(items) and len(out) < _MAX_EVIDENCE:
                out.append(items[round_])
    return out


def _paper_order(G: nx.MultiDiGraph, paper: str) -> tuple[int, str, str]:
    year = G.nodes[paper].get("year")
    return (-year if isinstance(year, int) and not isinstance(year, bool) else 1, _label(G, paper).casefold(), paper)


def _relation_tip(G: nx.MultiDiGraph, u: str, v: str, key: str, data: Mapping[str, Any]) -> str:
    lines = [f"{_label(G, u)} \u2014 {key} \u2192 {_label(G, v)}"]
    if key == "mentions":
        lines.append(f"{_int(data.get('count')) or 1} mention(s)")
        return "\n".join(lines)
    support = _int(data.get("support"))
    if support:
        lines.append(f"{support} paper{'s' if support != 1 else ''}")
    for ev in data.get("evidence") or []:
        if not isinstance(ev, Mapping):
            continue
        paper = f"paper:{ev.get('paper')}" if key != "proposes" else u
        if paper not in G:
            continue
        text = _paper_text(G, paper, ev.get("field"))
        start, end = ev.get("start"), ev.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            lines.append("\u201c" + _short(text[start:end], 200) + "\u201d")
            break
    return "\n".join(lines)


def _entity_entry(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = G.nodes[node]
    label = _label(G, node)
    aliases = _aliases(data)
    pc, mc = _int(data.get("paper_count")), _int(data.get("mention_count"))
    papers = sorted(
        {p for p in G.predecessors(node) if _kind(G.nodes[p]) == "paper"}, key=lambda p: _paper_order(G, p)
    )
    pc = pc or len(papers)
    rels = []
    for u, v, key, edata in G.out_edges(node, keys=True, data=True):
        if _kind(G.nodes[v]) == "entity":
            rels.append({"r": key, "d": "out", "o": v, "ol": _label(G, v), "s": _int(edata.get("support"))})
    for u, v, key, edata in G.in_edges(node, keys=True, data=True):
        if _kind(G.nodes[u]) == "entity":
            rels.append({"r": key, "d": "in", "o": u, "ol": _label(G, u), "s": _int(edata.get("support"))})
    rank = {name: i for i, name in enumerate(_RELATION_ORDER)}
    rels.sort(key=lambda r: (rank.get(r["r"], len(rank)), r["r"], r["d"], -r["s"], r["ol"].casefold(), r["o"]))
    tip = [label, f"{data.get('type') or 'Entity'} \u00b7 {pc} paper{'s' if pc != 1 else ''}"]
    if aliases:
        tip.append("aliases: " + _short(", ".join(aliases), 120))
    return {
        "kind": "entity",
        "type": _text(data.get("type")) or "Entity",
        "label": _short(label, 60),
        "full": label,
        "tip": "\n".join(tip),
        "aliases": aliases,
        "pc": pc,
        "mc": mc,
        "papers": papers[:_MAX_PANEL_PAPERS],
        "more": max(0, len(papers) - _MAX_PANEL_PAPERS),
        "ev": _evidence(G, node, papers),
        "rels": rels[:_MAX_PANEL_RELATIONS],
        "more_rels": max(0, len(rels) - _MAX_PANEL_RELATIONS),
        "size": round(min(42.0, 7.0 + 5.0 * math.sqrt(pc)), 1),
        "font": round(min(22.0, 13.0 + 1.4 * math.sqrt(pc)), 1),
    }


def _abstract_segments(G: nx.MultiDiGraph, paper: str) -> list[list[str | None]]:
    text = _paper_text(G, paper, "abstract")[:_ABSTRACT_CHARS]
    spans = []
    for _, entity, key, edata in G.out_edges(paper, keys=True, data=True):
        if key != "mentions":
            continue
        for ev in edata.get("evidence") or []:
            if isinstance(ev, Mapping) and ev.get("field") == "abstract":
                start, end = ev.get("start"), ev.get("end")
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                    spans.append((start, -end, entity))
    segments: list[list[str | None]] = []
    cursor = 0
    for start, neg_end, entity in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            segments.append([text[cursor:start], None])
        segments.append([text[start:-neg_end], entity])
        cursor = -neg_end
    if cursor < len(text):
        segments.append([text[cursor:], None])
    return segments


def _paper_entry(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = G.nodes[node]
    title = _label(G, node)
    year = data.get("year") if isinstance(data.get("year"), int) and not isinstance(data.get("year"), bool) else None
    authors = [_text(a) for a in data.get("authors") or [] if _text(a)]
    shown_authors = authors[:8] + (["et al."] if len(authors) > 8 else [])
    ents: dict[str, dict[str, Any]] = {}
    for _, entity, key in sorted(G.out_edges(node, keys=True)):
        if _kind(G.nodes[entity]) != "entity":
            continue
        entry = ents.setdefault(
            entity,
            {"o": entity, "ol": _label(G, entity), "ot": _text(G.nodes[entity].get("type")), "r": "mentions"},
        )
        if key == "proposes":
            entry["r"] = "proposes"
    byline = ([str(year)] if year is not None else []) + ([_short(", ".join(authors), 80)] if authors else [])
    tip = [title] + ([" \u00b7 ".join(byline)] if byline else [])
    return {
        "kind": "paper",
        "type": "Paper",
        "label": _short(title, _TITLE_CHARS),
        "title": title,
        "pid": _text(data.get("id")) or node.partition(":")[2],
        "tip": "\n".join(tip),
        "year": year,
        "url": _http_url(data.get("url")),
        "authors": shown_authors,
        "ents": sorted(ents.values(), key=lambda e: (e["r"] != "proposes", e["ol"].casefold(), e["o"])),
        "abs": _abstract_segments(G, node),
        "size": 5.0,
        "font": 10.0,
    }


def _payload(G: nx.MultiDiGraph, kept: set[str], *, title: str, seed: int) -> dict[str, Any]:
    nodes = []
    referenced: set[str] = set()
    for node in sorted(kept, key=lambda n: (_kind(G.nodes[n]) == "entity", n)):
        entry = _paper_entry(G, node) if _kind(G.nodes[node]) == "paper" else _entity_entry(G, node)
        entry["id"] = node
        if entry["kind"] == "entity":
            referenced.update(entry["papers"])
            referenced.update(ev["p"] for ev in entry["ev"])
        nodes.append(entry)
    positions = compute_layout(G, {entry["id"]: _box(entry) for entry in nodes}, seed=seed)
    for entry in nodes:
        entry["x"], entry["y"] = positions[entry["id"]]
    edges = []
    sub = G.subgraph(kept)
    rank = {name: i for i, name in enumerate(_RELATION_ORDER)}
    for i, (u, v, key, data) in enumerate(
        sorted(sub.edges(keys=True, data=True), key=lambda e: (rank.get(e[2], len(rank)), e[2], e[0], e[1]))
    ):
        style = RELATION_STYLES.get(key, _UNKNOWN_RELATION)
        width = style["width"]
        if key != "mentions":
            width = round(width + 0.8 * math.log2(1 + max(1, _int(data.get("support")))) - 0.8, 2)
        edges.append({"id": f"e{i}", "from": u, "to": v, "rel": key, "tip": _relation_tip(G, u, v, key, data), "w": width})
    type_counts: dict[str, int] = {}
    for entry in nodes:
        type_counts[entry["type"]] = type_counts.get(entry["type"], 0) + 1
    type_names = [t for t in ENTITY_TYPES if t in type_counts]
    type_names += sorted(t for t in type_counts if t not in ENTITY_TYPES and t != "Paper")
    type_names += ["Paper"] if "Paper" in type_counts else []
    types = []
    for name in type_names:
        fill, border = TYPE_COLORS.get(name, _PAPER_COLORS if name == "Paper" else _UNKNOWN_COLORS)
        types.append({"name": name, "color": fill, "border": border, "count": type_counts[name]})
    rel_counts: dict[str, int] = {}
    for edge in edges:
        rel_counts[edge["rel"]] = rel_counts.get(edge["rel"], 0) + 1
    # Styles of every relation the panel may name (also those of nodes outside the view).
    named = set(RELATION_STYLES) | set(rel_counts) | {r["r"] for entry in nodes for r in entry.get("rels", ())}
    relations = []
    for name in sorted(named, key=lambda r: (rank.get(r, len(rank)), r)):
        style = RELATION_STYLES.get(name, _UNKNOWN_RELATION)
        highlight = "#64748b" if name == "mentions" else style["color"]
        relations.append(
            {"name": name, "color": style["color"], "highlight": highlight, "dashes": style["dashes"],
             "arrow": style["arrow"], "count": rel_counts.get(name, 0)}
        )
    papers = {}
    for paper in sorted(referenced):
        pdata = G.nodes[paper]
        year = pdata.get("year")
        papers[paper] = {
            "t": _label(G, paper),
            "y": year if isinstance(year, int) and not isinstance(year, bool) else None,
            "u": _http_url(pdata.get("url")),
        }
    counts = [entry["pc"] for entry in nodes if entry["kind"] == "entity"]
    membership, communities = _communities(G, kept, seed=seed)
    for entry in nodes:
        if entry["kind"] == "entity":
            entry["c"] = membership[entry["id"]]
    landmarks = sorted((entry for entry in nodes if entry["kind"] == "entity"),
                       key=lambda e: (-e["pc"], e["full"].casefold(), e["id"]))[:_LANDMARKS]
    return {"title": title, "seed": seed, "types": types, "relations": relations,
            "min_pc": min(counts, default=0), "max_pc": max(counts, default=0),
            "communities": communities, "landmarks": [e["id"] for e in landmarks],
            "nodes": nodes, "edges": edges, "papers": papers}


# --------------------------------------------------------------------------- communities and first view


def _darken(color: str, factor: float = 0.72) -> str:
    """``#rrggbb`` with every channel scaled by ``factor`` (a border for a fill colour)."""
    return "#" + "".join(f"{int(int(color[i:i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def _communities(G: nx.MultiDiGraph, kept: set[str], *, seed: int) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Louvain communities of the drawn entities and the legend entries that colour them.

    The graph is the co-mention graph of :func:`paperkg.analyze.co_mention_graph`
    (entities joined by the number of papers mentioning both, nodes and edges added in
    sorted order) restricted to ``kept``; with the same seed the partition is the one of
    :func:`paperkg.analyze.communities`. Communities are ordered by size, then by their
    most-cited member; the first 12 with two or more members get their own colour, the
    rest share one grey "other" entry (last in the list).
    """
    entities = sorted(n for n in kept if _kind(G.nodes[n]) == "entity")
    if not entities:
        return {}, []
    members = set(entities)
    H = nx.Graph()
    H.add_nodes_from(entities)
    weights: dict[tuple[str, str], int] = {}
    papers = sorted({p for e in entities for p, _, k in G.in_edges(e, keys=True)
                     if k == "mentions" and _kind(G.nodes[p]) == "paper"})
    for paper in papers:
        ents = sorted({v for _, v, k in G.out_edges(paper, keys=True) if k == "mentions" and v in members})
        for i, a in enumerate(ents):
            for b in ents[i + 1 :]:
                weights[(a, b)] = weights.get((a, b), 0) + 1
    for (a, b), w in sorted(weights.items()):
        H.add_edge(a, b, weight=w)
    if H.number_of_edges():
        parts = nx.community.louvain_communities(H, weight="weight", seed=seed)
    else:
        parts = [{n} for n in entities]
    ranked = [sorted(part, key=lambda n: _entity_sort_key(G, n)) for part in parts]
    ranked.sort(key=lambda part: (-len(part), _entity_sort_key(G, part[0])))
    membership: dict[str, int] = {}
    legend: list[dict[str, Any]] = []
    other = 0
    for part in ranked:
        if len(legend) < len(_COMMUNITY_COLORS) and len(part) > 1:
            color = _COMMUNITY_COLORS[len(legend)]
            names = [_short(_label(G, n), 28) for n in part[:3]]
            legend.append({"name": " \u00b7 ".join(names), "color": color, "border": _darken(color),
                           "count": len(part)})
            for n in part:
                membership[n] = len(legend) - 1
        else:
            other += 1
            for n in part:
                membership[n] = -1
    if other:
        fill, border = _OTHER_COMMUNITY
        count = sum(1 for v in membership.values() if v == -1)
        legend.append({"name": f"other ({other:,} small communit{'y' if other == 1 else 'ies'})",
                       "color": fill, "border": border, "count": count})
        membership = {n: (len(legend) - 1 if v == -1 else v) for n, v in membership.items()}
    return membership, legend


def _start_min_pc(payload: Mapping[str, Any], min_papers: int | None) -> int:
    """Initial "Min. papers" filter: ``min_papers``, or automatic for large pages."""
    low, high = int(payload["min_pc"]), int(payload["max_pc"])
    if min_papers is not None:
        return max(low, min(min_papers, high))
    if len(payload["nodes"]) <= _AUTO_FILTER_NODES:
        return low
    counts = sorted((e["pc"] for e in payload["nodes"] if e["kind"] == "entity"), reverse=True)
    for threshold in sorted(set(counts)):
        if sum(1 for c in counts if c >= threshold) <= _START_ENTITIES:
            return threshold
    return high


def _initial_view(payload: Mapping[str, Any]) -> tuple[int, int]:
    """Nodes shown and entities hidden by the initial filter (the page's own rule)."""
    start = payload["start_pc"]
    entities = {e["id"]: e["pc"] >= start for e in payload["nodes"] if e["kind"] == "entity"}
    shown = sum(entities.values())
    for entry in payload["nodes"]:
        if entry["kind"] == "paper":
            linked = [entities[m["o"]] for m in entry["ents"] if m["o"] in entities]
            shown += not linked or any(linked)
    return shown, len(entities) - sum(entities.values())


def _filter_note(start: int, hidden: int) -> str:
    """The header line about the min-papers filter (the page rewrites it when it changes)."""
    if not hidden:
        return ""
    return (f"Entities in fewer than {start:,} papers are hidden ({hidden:,}); "
            "lower \u201cMin. papers per entity\u201d or search to see them.")


# --------------------------------------------------------------------------- page


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _script_json(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside a ``<script>`` element.

    Examples
    --------
    >>> _script_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("paperkg.export").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _vis_js() -> str:
    package, path = _VIS_RESOURCE
    try:
        text = resources.files(package).joinpath(path).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as err:
        raise ExportError(
            f"cannot read {package}/{path}: the HTML export needs pyvis==0.3.2 installed (pip install pyvis==0.3.2)"
        ) from err
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise ExportError(f"{package}/{path} contains '</script' or '<!--' and cannot be inlined")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _render_page(*, title: str, stats: str, cut: str, note: str, payload: Mapping[str, Any]) -> str:
    css, vis_js, app_js = _asset("paperkg.css"), _vis_js(), _asset("paperkg.js")
    csp = _CSP.format(scripts=f"{_sha256(vis_js)} {_sha256(app_js)}", styles=_sha256(css))
    values = {
        "csp": html.escape(csp, quote=False),
        "title": html.escape(_text(title) or "paperkg", quote=True),
        "stats": html.escape(stats, quote=True),
        "cut": html.escape(cut, quote=True),
        "note": html.escape(note, quote=True),
        "css": css,
        "data": _script_json(payload),
        "vis": vis_js,
        "app": app_js,
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], _asset("page.html"))
