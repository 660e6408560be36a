"""GraphML and node-link JSON exports of the graph.

GraphML cannot hold lists or dicts, so list/dict attributes (``aliases``, ``authors``,
``evidence``) are stored as JSON strings and ``None`` values are left out;
:func:`read_graphml` turns them back.
"""

from __future__ import annotations

import io
import json
import os

import networkx as nx

from ..errors import InputError
from ..io import write_atomic

__all__ = ["to_graphml", "write_graphml", "read_graphml", "to_node_link", "write_node_link"]

_JSON_ATTRS = frozenset({"aliases", "authors", "categories", "evidence"})


def _flat(attrs: dict) -> dict:
    out = {}
    for k, v in attrs.items():
        if v is None:
            continue
        out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict, tuple)) else v
    return out


def to_graphml(G: nx.MultiDiGraph) -> str:
    """The graph as a GraphML document (deterministic)."""
    H = nx.MultiDiGraph()
    H.graph.update(_flat(G.graph))
    for n, d in G.nodes(data=True):
        H.add_node(n, **_flat(d))
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **_flat(d))
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", named_key_ids=True, edge_id_from_attribute=None)
    return buf.getvalue().decode("utf-8")


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write :func:`to_graphml` atomically."""
    write_atomic(path, to_graphml(G))


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` back into the graph contract.

    Raises
    ------
    InputError
        If the file is missing or is not GraphML.
    """
    try:
        H = nx.read_graphml(path, force_multigraph=True)
    except FileNotFoundError as exc:
        raise InputError(f"{path} does not exist; build the graph first (`paperkg build --out DIR` writes DIR/graph.graphml)") from exc
    except Exception as exc:  # ElementTree / networkx parse errors
        raise InputError(f"{path} is not a GraphML file written by paperkg: {exc}") from exc
    G = nx.MultiDiGraph()
    G.graph.update(H.graph)
    for n, d in H.nodes(data=True):
        G.add_node(n, **{k: json.loads(v) if k in _JSON_ATTRS else v for k, v in d.items()})
    for u, v, k, d in H.edges(keys=True, data=True):
        G.add_edge(u, v, key=k, **{a: json.loads(x) if a in _JSON_ATTRS else x for a, x in d.items()})
    for n, d in G.nodes(data=True):
        for attr in ("year", "date", "url"):
            d.setdefault(attr, None) if d.get("kind") == "paper" else None
    return G


def to_node_link(G: nx.MultiDiGraph) -> dict:
    """The graph as node-link data (``networkx.node_link_data``), JSON-ready."""
    return nx.node_link_data(G, edges="edges")


def write_node_link(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write :func:`to_node_link` as sorted, indented JSON, atomically."""
    write_atomic(path, json.dumps(to_node_link(G), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
