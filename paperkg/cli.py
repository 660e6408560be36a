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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import PaperkgError

__all__ = ["main"]

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
            max_nodes=args.max_nodes, outputs=outputs, on_paper=tick, n_process=args.jobs,
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
                                                        n_process=args.jobs)
    n = write_extractions(extractions, resolution, args.output)
    err.print(f"{n} papers → {args.output}   skipped: {len(skips)}")
    for skip in skips:
        err.print(f"  {skip.source}: {skip.reason}")
    return 0


# -- query ----------------------------------------------------------------------------------
def cmd_query(args) -> int:
    from .query import list_queries, load_query, run_query

    if args.list:
        for q in list_queries():
            params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in q.params)
            out.print(f"[bold]{q.name}[/bold]  {q.title}", markup=True)
            out.print(f"    {q.description}" + (f"\n    params: {params}" if params else ""), markup=False)
        return 0
    if args.source and not args.sparql and _looks_like_sparql(args.source[-1]):
        args.sparql = args.source.pop()
    if not args.source:
        raise PaperkgError("no RDF source given: pass e.g. output/graph.ttl")
    if args.query_file:
        sparql = load_query(args.query_file)
    elif args.name:
        sparql = load_query(args.name)
    elif args.sparql:
        sparql = args.sparql
    else:
        raise PaperkgError("no query given: pass --sparql TEXT, --query-file FILE.rq or --name NAME (see --list)")
    result = run_query(args.source, sparql)
    if args.format == "csv":
        sys.stdout.write(result.to_csv())
    elif args.format == "json":
        sys.stdout.write(result.to_json(indent=2) + "\n")
    elif result.kind == "construct":
        sys.stdout.write(result.to_turtle())
    else:
        sys.stdout.write(result.to_table() + "\n")
    return 0


def _looks_like_sparql(text: str) -> bool:
    return not Path(text).exists() and bool(
        re.match(r"\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    )


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
                      title=args.title)
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


def _add_input_args(p: argparse.ArgumentParser) -> None:
    from .ingest import FORMATS

    p.add_argument("inputs", nargs="*", metavar="PATH", help="input files (default: the embedded sample corpus)")
    p.add_argument("--format", default="auto", choices=("auto", *FORMATS), help="input format (default: detect)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="spaCy worker processes (default 1)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


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
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="per-paper extraction as JSON Lines (the DESIGN.md contract)")
    _add_input_args(p)
    p.add_argument("--output", "-o", required=True, help="output .jsonl file ('-' for stdout)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("query", help="run SPARQL over exported RDF")
    p.add_argument("source", nargs="*", help="RDF file(s), e.g. output/graph.ttl, optionally followed by the SPARQL text")
    p.add_argument("--sparql", "-e", default=None, help="SPARQL query text")
    p.add_argument("--list", action="store_true", help="list the canned queries of ontology/queries")
    p.add_argument("--query-file", "-f", default=None, help="a .rq file")
    p.add_argument("--name", "-n", default=None, help="a canned query of ontology/queries (e.g. methods-on-dataset)")
    p.add_argument("--format", default="table", choices=("table", "csv", "json"))
    p.set_defaults(func=cmd_query)

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
    p.set_defaults(func=cmd_html)

    p = sub.add_parser("eval", help="score extraction against a gold standard")
    esub = p.add_subparsers(dest="eval_command", required=True)
    g = esub.add_parser("gold", help="score `paperkg extract` output against a paperkg-gold/1 file")
    g.add_argument("predictions", help="extraction .jsonl (from `paperkg extract`)")
    g.add_argument("gold", help="gold .json (format paperkg-gold/1)")
    g.add_argument("--json", default=None, help="also write the scores as JSON here")
    g.set_defaults(func=cmd_eval_gold)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``paperkg`` command."""
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except PaperkgError as exc:
        err.print(f"[red]error:[/red] {exc}")
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
