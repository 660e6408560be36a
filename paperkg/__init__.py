"""paperkg: a knowledge graph of methods, datasets, tasks, metrics and concepts from research abstracts.

>>> import paperkg
>>> G = paperkg.build_graph(paperkg.read_papers(paperkg.sample_path()))   # doctest: +SKIP
>>> paperkg.analyze.top_entities(G, n=3)["Dataset"]                      # doctest: +SKIP

Heavy modules (spaCy, rdflib, pyvis) are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "read_papers": ("paperkg.ingest", "read_papers"),
    "SkipReport": ("paperkg.ingest", "SkipReport"),
    "build_graph": ("paperkg.graph", "build_graph"),
    "Extractor": ("paperkg.extract", "Extractor"),
    "resolve_entities": ("paperkg.resolve", "resolve_entities"),
    "run_build": ("paperkg.build", "run_build"),
    "sample_path": ("paperkg.build", "sample_path"),
    "to_rdflib": ("paperkg.export.rdf", "to_rdflib"),
    "write_rdf": ("paperkg.export.rdf", "write_rdf"),
    "write_html": ("paperkg.export.html", "write_html"),
    "graph_html": ("paperkg.export.html", "graph_html"),
    "show": ("paperkg.export.html", "show"),
    "write_graphml": ("paperkg.export.formats", "write_graphml"),
    "read_graphml": ("paperkg.export.formats", "read_graphml"),
    "run_query": ("paperkg.query", "run_query"),
    "open_store": ("paperkg.store", "open_store"),
    "write_store": ("paperkg.store", "write_store"),
    "analyze": ("paperkg.analyze", None),
    "Paper": ("paperkg.models", "Paper"),
    "Entity": ("paperkg.models", "Entity"),
    "Mention": ("paperkg.models", "Mention"),
    "Relation": ("paperkg.models", "Relation"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'paperkg' has no attribute {name!r}") from None
    mod = importlib.import_module(module)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
