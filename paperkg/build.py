"""The one orchestrator behind ``paperkg build`` and the Python API.

read → extract → resolve → graph → write (Turtle, HTML, GraphML, report.json).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import networkx as nx

from . import __version__
from .errors import ExportError
from .extract import Extractor
from .graph import graph_from_extractions
from .ingest import SkipReport, read_papers
from .io import write_atomic
from .models import ENTITY_TYPES, RELATION_PREDICATES, Paper, PaperExtraction
from .resolve import Resolution, resolve_entities

__all__ = [
    "SAMPLE_NAME", "DEFAULT_OUTPUTS", "BuildResult", "sample_path", "extract_and_resolve", "extract_corpus", "run_build",
]

#: Display name of the embedded sample corpus (used in ``source`` fields and reports).
SAMPLE_NAME = "sample_papers.jsonl"

#: Files ``paperkg build`` writes, by kind.
DEFAULT_OUTPUTS: dict[str, str] = {
    "ttl": "graph.ttl",
    "html": "graph.html",
    "graphml": "graph.graphml",
    "report": "report.json",
}


def sample_path() -> Path:
    """Path of the embedded sample corpus shipped inside the package."""
    return Path(str(resources.files("paperkg") / "data" / SAMPLE_NAME))


@dataclass
class BuildResult:
    """What a build produced: the graph, the per-paper extractions, skips and files."""

    graph: nx.MultiDiGraph
    extractions: list[PaperExtraction]
    resolution: Resolution
    skips: SkipReport
    files: dict[str, Path] = field(default_factory=dict)
    #: The recognizer extraction used (:attr:`paperkg.extract.Extractor.recognizer`); None: rules only.
    recognizer: dict | None = None

    def report(self) -> dict:
        """A JSON-ready summary: counts per type and predicate, skips with reasons, files."""
        G = self.graph
        types = Counter(d["type"] for _, d in G.nodes(data=True) if d.get("kind") == "entity")
        preds = Counter(k for _, _, k in G.edges(keys=True))
        return {
            "paperkg_version": __version__,
            "recognizer": self.recognizer,
            "papers": sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "paper"),
            "skipped": len(self.skips),
            "skipped_by_reason": dict(sorted(self.skips.by_reason().items())),
            "skips": self.skips.to_list(),
            "entities": sum(types.values()),
            "entities_by_type": {t: types.get(t, 0) for t in ENTITY_TYPES},
            "relations_by_predicate": {p: preds.get(p, 0) for p in ("mentions", *RELATION_PREDICATES)},
            "files": {k: p.name for k, p in sorted(self.files.items())},
        }


def extract_corpus(
    inputs: Sequence[str | os.PathLike] | None = None,
    *,
    format: str = "auto",
    extractor: Extractor | None = None,
    on_paper: Callable[[PaperExtraction], None] | None = None,
    n_process: int = 1,
) -> tuple[list[PaperExtraction], Resolution, SkipReport]:
    """Read, extract and resolve ``inputs`` (default: the embedded sample corpus)."""
    skips = SkipReport()
    papers = read_papers(inputs, format=format, skips=skips) if inputs else _read_sample(skips)
    extractions, resolution = extract_and_resolve(papers, extractor=extractor, on_paper=on_paper, n_process=n_process)
    return extractions, resolution, skips


def extract_and_resolve(
    papers: Iterable[Paper],
    *,
    extractor: Extractor | None = None,
    on_paper: Callable[[PaperExtraction], None] | None = None,
    n_process: int = 1,
) -> tuple[list[PaperExtraction], Resolution]:
    """Extract every paper (calling ``on_paper`` after each), then resolve the corpus."""
    extractor = extractor or Extractor()
    extractions = []
    for ex in extractor.extract(papers, n_process=n_process):
        extractions.append(ex)
        if on_paper is not None:
            on_paper(ex)
    return extractions, resolve_entities(extractions, lexicon=extractor.lexicon)


def run_build(
    inputs: Sequence[str | os.PathLike] | None = None,
    *,
    out_dir: str | os.PathLike = "output",
    format: str = "auto",
    base_iri: str | None = None,
    max_nodes: int = 2000,
    outputs: Iterable[str] = tuple(DEFAULT_OUTPUTS),
    extractor: Extractor | None = None,
    on_paper: Callable[[PaperExtraction], None] | None = None,
    n_process: int = 1,
    store: str | os.PathLike | None = None,
) -> BuildResult:
    """Build the graph of ``inputs`` and write the requested ``outputs`` into ``out_dir``.

    Parameters
    ----------
    inputs : sequence of paths, optional
        Files of any supported format; default: the embedded sample corpus.
    outputs : iterable of str
        Any of ``"ttl"``, ``"html"``, ``"graphml"``, ``"report"``.
    on_paper : callable, optional
        Called after each paper is extracted (progress bars).
    store : path, optional
        Also bulk-load the RDF export into a persistent Oxigraph store in this directory
        (replacing its content; see :mod:`paperkg.store`); listed as ``files["store"]``.

    Returns
    -------
    BuildResult
    """
    extractions, resolution, skips = extract_corpus(
        inputs, format=format, extractor=extractor, on_paper=on_paper, n_process=n_process
    )
    G = graph_from_extractions(extractions, resolution, skipped=len(skips))
    result = BuildResult(G, extractions, resolution, skips, recognizer=extractor.recognizer if extractor else None)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the output directory {out}: {exc.strerror or exc}") from exc
    wanted = list(outputs)
    if "ttl" in wanted:
        from .export.rdf import write_rdf

        kw = {"base_iri": base_iri} if base_iri else {}
        result.files["ttl"] = out / DEFAULT_OUTPUTS["ttl"]
        write_rdf(G, result.files["ttl"], **kw)
    if store is not None:
        _write_store(G, result, out, store, base_iri)
    if "html" in wanted:
        from .export.html import write_html

        result.files["html"] = out / DEFAULT_OUTPUTS["html"]
        write_html(G, result.files["html"], max_nodes=max_nodes)
    if "graphml" in wanted:
        from .export.formats import write_graphml

        result.files["graphml"] = out / DEFAULT_OUTPUTS["graphml"]
        write_graphml(G, result.files["graphml"])
    if "report" in wanted:
        result.files["report"] = out / DEFAULT_OUTPUTS["report"]
        write_atomic(result.files["report"], json.dumps(result.report(), indent=2, ensure_ascii=False) + "\n")
    return result


def _write_store(G: nx.MultiDiGraph, result: BuildResult, out: Path, store: str | os.PathLike,
                 base_iri: str | None) -> None:
    """Load the Turtle export (or, when it is skipped, a temporary N-Triples one) into ``store``."""
    import tempfile

    from .export.rdf import write_rdf
    from .store import write_store

    if "ttl" in result.files:
        write_store([result.files["ttl"]], store)
    else:
        with tempfile.TemporaryDirectory(dir=out, prefix=".store-") as tmp:
            export = Path(tmp) / "graph.nt"
            write_rdf(G, export, format="ntriples", **({"base_iri": base_iri} if base_iri else {}))
            write_store([export], store)
    result.files["store"] = Path(store)


def _read_sample(skips: SkipReport):
    """The embedded sample, with sources named ``sample_papers.jsonl:N`` on every machine."""
    prefix = str(sample_path())
    for paper in read_papers(sample_path(), skips=skips):
        yield replace(paper, source=SAMPLE_NAME + paper.source[len(prefix):])
