"""The ``paperkg`` command line: a thin layer over the library.

It parses arguments, calls :mod:`paperkg.build` / :mod:`paperkg.query` / …, shows
progress and turns :class:`~paperkg.errors.PaperkgError` into a one-line message and
exit code 2 (1 for unexpected failures).
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
import json
import re
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import PaperkgError

__all__ = ["main"]

# Defaults of `paperkg serve`, equal to paperkg.serve.DEFAULT_* (a test checks); not imported
# from there so that every other command starts without loading the server.
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT = "127.0.0.1", 7878, 30.0

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)


@contextmanager
def _paper_progress(quiet: bool):
    """A progress bar over papers; yields the callback to call after each paper."""
    bar = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
        console=err, disable=quiet, transient=False,
    )
    with bar:
        task = bar.add_task("extracting", total=None, rate="")

        def tick(_extraction) -> None:
            bar.advance(task)
            t = bar.tasks[0]
            if t.elapsed:
                bar.update(task, rate=f"{t.completed / t.elapsed:.1f} papers/s")

        yield tick


# -- build ----------------------------------------------------------------------------------
def cmd_build(args) -> int:
    from .build import DEFAULT_OUTPUTS, run_build

    outputs = [k for k in DEFAULT_OUTPUTS if k not in set(args.skip or ())]
    with _paper_progress(args.quiet) as tick:
        result = run_build(
            args.inputs or None, out_dir=args.out, format=args.format, base_iri=args.base_iri,
            max_nodes=args.max_nodes, outputs=outputs, on_paper=tick, n_process=args.jobs, store=args.store,
            extractor=_extractor(args),
        )
    _print_summary(result.report(), result)
    return 0


def _print_summary(report: dict, result) -> None:
    err.print(f"[bold]paperkg {__version__}[/bold]")
    err.print(f"papers read: {report['papers']}   skipped: {report['skipped']}")
    for reason, n in report["skipped_by_reason"].items():
        err.print(f"  skipped ({reason}): {n}")
    for skip in report["skips"][:10]:
        err.print(f"    {skip['source']}: {skip['reason']}")
    if len(report["skips"]) > 10:
        err.print(f"    … {len(report['skips']) - 10} more in report.json")
    err.print(f"entities: {report['entities']}   " + "  ".join(f"{t}={n}" for t, n in report["entities_by_type"].items()))
    err.print("relations: " + "  ".join(f"{p}={n}" for p, n in report["relations_by_predicate"].items()))
    for kind, path in sorted(result.files.items()):
        err.print(f"wrote {path}")


# -- extract --------------------------------------------------------------------------------
def cmd_extract(args) -> int:
    from .export.extraction import write_extractions

    from .build import extract_corpus

    with _paper_progress(args.quiet) as tick:
        extractions, resolution, skips = extract_corpus(args.inputs or None, format=args.format, on_paper=tick,
                                                        n_process=args.jobs, extractor=_extractor(args))
    n = write_extractions(extractions, resolution, args.output)
    err.print(f"{n} papers → {args.output}   skipped: {len(skips)}")
    for skip in skips:
        err.print(f"  {skip.source}: {skip.reason}")
    return 0


# -- query ----------------------------------------------------------------------------------
def cmd_query(args) -> int:
    from .query import list_queries, load_query, run_query
    from .store import NotAcceptable, answer_query, open_sources

    if args.list:
        for q in list_queries():
            out.print(f"[bold]{q.name}[/bold]  {q.title}", markup=True)
            out.print(f"    {q.description}", markup=False)
            for p in q.params:
                default = "unset: no filter" if p.default is None else f"default: {p.default}"
                out.print(f"    --param {p.name}=…  {p.description} ({default})", markup=False)
        return 0
    if args.source and not args.sparql and _looks_like_sparql(args.source[-1]):
        args.sparql = args.source.pop()
    if args.query_file:
        sparql = load_query(args.query_file)
    elif args.name:
        sparql = load_query(args.name)
    elif args.sparql:
        sparql = args.sparql
    else:
        raise PaperkgError("no query given: pass --sparql TEXT, --query-file FILE.rq or --name NAME (see --list)")
    params = _parse_params(args.param)
    store = open_sources(args.store, args.source)
    if args.format == "sparql-json":
        try:
            answer = answer_query(store, sparql, accept=["application/sparql-results+json"], params=params)
        except NotAcceptable:
            raise PaperkgError("--format sparql-json holds SELECT and ASK results; a CONSTRUCT or DESCRIBE query "
                               "gives Turtle with the default --format table") from None
        sys.stdout.buffer.write(answer.body + b"\n")
        sys.stdout.flush()
        return 0
    result = run_query(store, sparql, params=params)
    if args.format == "csv":
        sys.stdout.write(result.to_csv())
    elif args.format == "json":
        sys.stdout.write(result.to_json(indent=2) + "\n")
    elif result.kind == "construct":
        sys.stdout.write(result.to_turtle())
    else:
        sys.stdout.write(result.to_table() + "\n")
    return 0


def _parse_params(items: list[str] | None) -> dict[str, str | None]:
    """``["dataset=CIFAR-10", "paper"]`` → ``{"dataset": "CIFAR-10", "paper": None}`` (None: unset)."""
    params: dict[str, str | None] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not name:
            raise PaperkgError(f"--param {item!r}: expected NAME=VALUE (or NAME alone to unset it)")
        if name in params:
            raise PaperkgError(f"--param {name} is given twice")
        params[name] = value if sep else None
    return params


def _looks_like_sparql(text: str) -> bool:
    return not Path(text).exists() and bool(
        re.match(r"\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    )


# -- load / serve / push --------------------------------------------------------------------
def cmd_load(args) -> int:
    from .store import write_store

    n = write_store(args.files, args.store, append=not args.replace)
    err.print(f"{n} triples in the store {args.store}", markup=False)
    return 0


def cmd_serve(args) -> int:
    from .serve import serve

    serve(args.store, args.files, host=args.host, port=args.port, allow_update=args.allow_update,
          timeout=args.timeout, workers=args.workers, quiet=args.quiet, in_memory=not args.on_disk)
    return 0


def cmd_push(args) -> int:
    from .push import push_rdf

    headers = {}
    for header in args.header or ():
        name, sep, value = header.partition(":")
        if not sep or not name.strip():
            raise PaperkgError(f"--header {header!r}: expected 'Name: value'")
        headers[name.strip()] = value.strip()
    result = push_rdf(args.file, args.endpoint, graph=args.graph, replace=args.replace, headers=headers,
                      timeout=args.timeout)
    action = "replaced" if result.method == "PUT" else "added to"
    target = f"graph <{args.graph}>" if args.graph else "the default graph"
    err.print(f"{action} {target}: {result.method} {result.url} → HTTP {result.status} "
              f"({result.bytes_sent} bytes)", markup=False)
    return 0


# -- stats ----------------------------------------------------------------------------------
def cmd_stats(args) -> int:
    from . import analyze
    from .export.formats import read_graphml

    G = read_graphml(args.graph)
    s = analyze.summary(G)
    err.print(f"{s['papers']} papers, {s['entities']} entities, {s['relations']} relation edges")
    for typ, rows in analyze.top_entities(G, n=args.top).items():
        table = Table(title=f"top {typ}", show_edge=False)
        table.add_column("entity")
        table.add_column("papers", justify="right")
        for label, count in rows:
            table.add_row(label, str(count))
        out.print(table)
    pairs = analyze.method_dataset_pairs(G)[: args.top]
    if pairs:
        table = Table(title="method → dataset (evaluatedOn)", show_edge=False)
        for col in ("method", "dataset", "support"):
            table.add_column(col)
        for m, d, n in pairs:
            table.add_row(m, d, str(n))
        out.print(table)
    comms = analyze.communities(G)
    err.print(f"communities: {len(comms)} (largest {len(comms[0]) if comms else 0} entities)")
    return 0


# -- html -----------------------------------------------------------------------------------
def cmd_html(args) -> int:
    from .export.formats import read_graphml
    from .export.html import write_html

    G = read_graphml(args.graph)
    types = [t.strip() for t in args.type.split(",")] if args.type else None
    path = write_html(G, args.output, max_nodes=args.max_nodes, types=types, focus=args.focus, depth=args.depth,
                      title=args.title, rank=args.rank, color_by=args.color_by, min_papers=args.min_papers)
    err.print(f"wrote {path}")
    return 0


# -- eval -----------------------------------------------------------------------------------
def cmd_eval_gold(args) -> int:
    from .evaluate import read_gold, score_gold

    gold = read_gold(args.gold)
    with open(args.predictions, encoding="utf-8") as fh:
        preds = [json.loads(line) for line in fh if line.strip()]
    scores = score_gold(preds, gold)
    out.print(scores.summary())
    if args.json:
        Path(args.json).write_text(json.dumps(scores.to_dict(), indent=2) + "\n", encoding="utf-8")
    return 0


def cmd_eval_scierc(args) -> int:
    from .evaluate import score_scierc
    from .extract import Extractor

    scores = score_scierc(args.file, extractor=_extractor(args) or Extractor())
    out.print(f"SciERC {args.file}: {scores['documents']} documents (gold: all entities but Generic)")
    rows = [(k, scores[k]) for k in ("untyped", "typed", "head", "head_typed")] + sorted(scores["per_label"].items())
    out.print(f"{'scope':<22}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}", markup=False)
    for name, sc in rows:
        out.print(f"{name:<22}{sc.precision:>7.3f}{sc.recall:>7.3f}{sc.f1:>7.3f}{sc.n_gold:>7}{sc.n_pred:>7}", markup=False)
    return 0


def cmd_train(args) -> int:
    from .train import train_ner

    path = train_ner(args.train, args.dev, args.out, seed=args.seed, max_epochs=args.max_epochs)
    err.print(f"model written to {path}; use it with `paperkg build --model {path}`")
    return 0


def _extractor(args):
    """The extractor the flags ask for (None: the default one, built by the library)."""
    if not args.model:
        return None
    from .extract import Extractor

    return Extractor(scientific_ner=args.model, min_confidence=args.min_confidence or 0.0)


def _confidence(text: str) -> float:
    """argparse type of --min-confidence: a probability."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", nargs="?", const=True, default=False, metavar="DIR",
                   help="also use the SciERC-trained recognizer (the shipped one, or a retrained DIR)")
    p.add_argument("--min-confidence", type=_confidence, default=None, metavar="P",
                   help="with --model: the lowest probability (0-1) at which the recognizer adds a name "
                        "the rules do not know (default 0: all; 0.9 trades recall for precision)")


def _add_input_args(p: argparse.ArgumentParser) -> None:
    from .ingest import FORMATS

    p.add_argument("inputs", nargs="*", metavar="PATH", help="input files (default: the embedded sample corpus)")
    p.add_argument("--format", default="auto", choices=("auto", *FORMATS), help="input format (default: detect)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="spaCy worker processes (default 1)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    _add_model_args(p)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperkg", description="Knowledge graphs of research abstracts.")
    parser.add_argument("--version", action="version", version=f"paperkg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the graph and write Turtle, HTML, GraphML and report.json")
    _add_input_args(p)
    p.add_argument("--out", "-o", default="output", help="output directory (default: output)")
    p.add_argument("--base-iri", default=None, help="base IRI of minted instance IRIs")
    p.add_argument("--max-nodes", type=int, default=2000, help="node budget of the HTML page")
    p.add_argument("--skip", action="append", choices=("ttl", "html", "graphml", "report"), help="do not write this output")
    p.add_argument("--store", default=None, metavar="DIR",
                   help="also load the RDF export into a persistent Oxigraph store in DIR (replaced)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="per-paper extraction as JSON Lines (the DESIGN.md contract)")
    _add_input_args(p)
    p.add_argument("--output", "-o", required=True, help="output .jsonl file ('-' for stdout)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("query", help="run SPARQL over exported RDF or a store")
    p.add_argument("source", nargs="*", help="RDF file(s), e.g. output/graph.ttl, optionally followed by the SPARQL text")
    p.add_argument("--store", default=None, metavar="DIR", help="query this store (paperkg load/build --store) instead of files")
    p.add_argument("--sparql", "-e", default=None, help="SPARQL query text")
    p.add_argument("--list", action="store_true", help="list the canned queries of ontology/queries")
    p.add_argument("--query-file", "-f", default=None, help="a .rq file")
    p.add_argument("--name", "-n", default=None, help="a canned query of ontology/queries (e.g. methods-on-dataset)")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                   help="a parameter of the query, bound as a string literal (repeatable; NAME alone unsets it)")
    p.add_argument("--format", default="table", choices=("table", "csv", "json", "sparql-json"),
                   help="table (Turtle for CONSTRUCT), csv, json (records) or sparql-json (SPARQL 1.1 JSON results)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("load", help="bulk-load RDF files into a persistent Oxigraph store")
    p.add_argument("files", nargs="+", metavar="FILE", help="RDF files (.ttl, .nt, .nq, .trig, .rdf, .jsonld)")
    p.add_argument("--store", required=True, metavar="DIR", help="the store directory (created if missing)")
    p.add_argument("--replace", action="store_true", help="replace the store's content instead of adding to it")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("serve", help="serve a SPARQL 1.1 endpoint (/query, /update) over a store or RDF files")
    p.add_argument("files", nargs="*", metavar="FILE", help="RDF files to serve (loaded into a temporary store)")
    p.add_argument("--store", default=None, metavar="DIR", help="serve this store directory")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--allow-update", action="store_true", help="accept SPARQL Update at /update (default: 403)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit per query or update (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--workers", type=int, default=2, help="worker processes for read-only queries (default 2)")
    p.add_argument("--on-disk", action="store_true",
                   help="query the on-disk store instead of an in-memory copy per worker (less memory, ~4x slower)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="upload an RDF file to a SPARQL 1.1 Graph Store Protocol endpoint")
    p.add_argument("file", metavar="FILE", help="the RDF file, e.g. output/graph.ttl")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="Graph Store URL, e.g. http://localhost:7878/store (Oxigraph), http://localhost:3030/ds/data (Fuseki)")
    p.add_argument("--graph", default=None, metavar="IRI", help="named graph to write (default: the default graph)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--replace", dest="replace", action="store_const", const=True, default=None,
                      help="replace the graph (HTTP PUT; the default with --graph)")
    mode.add_argument("--append", dest="replace", action="store_const", const=False,
                      help="add to the graph (HTTP POST; the default for the default graph)")
    p.add_argument("--header", action="append", metavar="'NAME: VALUE'", help="extra HTTP header, e.g. Authorization")
    p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS", help="HTTP timeout (default 300)")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("stats", help="headline analysis of a built graph")
    p.add_argument("graph", nargs="?", default="output/graph.graphml", help="a graph.graphml written by build")
    p.add_argument("--top", type=int, default=10)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("html", help="write an HTML explorer page of a built graph (whole, by type, or around one entity)")
    p.add_argument("graph", nargs="?", default="output/graph.graphml", help="a graph.graphml written by build")
    p.add_argument("--output", "-o", default="graph.html", help="the page to write (default graph.html)")
    p.add_argument("--focus", default=None, help="keep the neighbourhood of this entity (label or alias)")
    p.add_argument("--depth", type=int, default=2, help="neighbourhood depth for --focus (default 2)")
    p.add_argument("--type", default=None, help="comma-separated entity types to keep, e.g. Dataset,Method")
    p.add_argument("--max-nodes", type=int, default=2000, help="node budget (top entities by paper count)")
    p.add_argument("--title", default="paperkg", help="page title")
    p.add_argument("--rank", default="papers", choices=("papers", "pagerank"), help="how the node budget ranks entities")
    p.add_argument("--color-by", default="type", choices=("type", "community"), help="initial node colouring")
    p.add_argument("--min-papers", type=int, default=None,
                   help="initial min-papers filter (default: automatic for large graphs)")
    p.set_defaults(func=cmd_html)

    p = sub.add_parser("eval", help="score extraction against a gold standard")
    esub = p.add_subparsers(dest="eval_command", required=True)
    g = esub.add_parser("gold", help="score `paperkg extract` output against a paperkg-gold/1 file")
    g.add_argument("predictions", help="extraction .jsonl (from `paperkg extract`)")
    g.add_argument("gold", help="gold .json (format paperkg-gold/1)")
    g.add_argument("--json", default=None, help="also write the scores as JSON here")
    g.set_defaults(func=cmd_eval_gold)
    g = esub.add_parser("scierc", help="score the extraction path on a SciERC (DyGIE) file, e.g. ../shared/scierc/dev.json")
    g.add_argument("file")
    _add_model_args(g)
    g.set_defaults(func=cmd_eval_scierc)

    p = sub.add_parser("train", help="train the scientific-entity recognizer on SciERC")
    p.add_argument("--train", required=True, help="SciERC train.json (DyGIE format)")
    p.add_argument("--dev", required=True, help="SciERC dev.json")
    p.add_argument("--out", required=True, help="output directory of the trained spaCy pipeline")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-epochs", type=int, default=None)
    p.set_defaults(func=cmd_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``paperkg`` command."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if getattr(args, "min_confidence", None) is not None and not args.model:
        parser.error("--min-confidence filters the recognizer's spans: use it together with --model")
    try:
        return args.func(args)
    except (PaperkgError, OSError) as exc:  # OSError: a file the library did not check itself
        err.print(f"[red]error:[/red] {escape(str(exc))}")  # messages quote user input: never markup
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
