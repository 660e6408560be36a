"""Canned SPARQL queries on a synthetic ≥1M-triple export: Oxigraph store against rdflib.

Usage::

    nice python bench/sparql.py [--papers 50000] [--entities 20000] [--extra 0.3] [--runs 20]
                                [--cap 60] [--no-rdflib] [--data DIR]

1. **Data.** A synthetic graph following the paperkg graph contract (``paperkg/graph.py``):
   ``--papers`` papers, each mentioning 1 + Poisson(``--extra``) distinct entities drawn from a Zipf
   distribution (exponent ``--zipf``, default 1.0) over ``--entities`` entities of all five
   types; abstracts are generated sentences, so every mention and relation has real
   evidence offsets. Relations come from the sentences (``evaluatedOn``, ``usedFor``,
   ``comparedWith``, ``uses``, ``isA``, ``proposes``). The most frequent entities carry the
   names the canned queries use as defaults (VAE, CIFAR-10, GAN, image generation, β-VAE …),
   so the default parameters hit the heaviest entities: the worst case. The graph is
   exported with :func:`paperkg.export.rdf.write_rdf` to Turtle and cached in ``--data``
   (default: ``$TMPDIR/paperkg-bench-sparql``). The defaults give about 1.2M triples.
2. **Store.** Load time of :func:`paperkg.store.write_store` (bulk load into an on-disk
   Oxigraph store), then for each canned query one warm-up and ``--runs`` timed runs of
   :func:`paperkg.query.run_query` (query, plus conversion of every row to Python values):
   p50 and p95; first with the default parameters, then with everyday ones
   (:func:`typical_params`: entities from the middle of the frequency ranking). Each query
   runs on the on-disk store and on its in-memory copy (``open_store(in_memory=True)``,
   what every ``paperkg serve`` worker holds by default).
3. **rdflib.** The same Turtle parsed once by rdflib in a child process; each canned query
   then runs (up to 3 times, median reported) in a fork of it with a time cap of ``--cap``
   seconds; a query over the cap is killed and reported as ``timeout``.

Prints a Markdown table. The target is p50 < 50 ms for every canned query with the store.
The machine is shared: run it once, under ``nice``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds other scripts (bench/html.py …) that must not shadow standard modules
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import math  # noqa: E402
import multiprocessing as mp  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

# (label, type, aliases, broader label) of the head of the Zipf distribution, most frequent first.
HEAD = [
    ("neural network", "Method", ["neural networks", "NN"], None),
    ("CIFAR-10", "Dataset", ["CIFAR10"], None),
    ("variational autoencoder", "Method", ["VAE", "VAEs", "variational autoencoders"], "neural network"),
    ("generative adversarial network", "Method", ["GAN", "GANs"], "neural network"),
    ("accuracy", "Metric", [], None),
    ("image generation", "Task", [], None),
    ("ImageNet", "Dataset", [], None),
    ("FID", "Metric", ["Fréchet Inception Distance"], None),
    ("diffusion model", "Method", ["diffusion models"], None),
    ("evidence lower bound", "Concept", ["ELBO"], None),
    ("CelebA", "Dataset", [], None),
    ("image classification", "Task", [], None),
    ("transformer", "Method", ["transformers"], "neural network"),
    ("β-VAE", "Method", ["beta-VAE"], "variational autoencoder"),
    ("KL divergence", "Concept", ["Kullback-Leibler divergence"], None),
]
TYPES = ("Method", "Dataset", "Task", "Metric", "Concept")
TYPE_WEIGHTS = (0.45, 0.15, 0.15, 0.1, 0.15)
TAIL_NAMES = {"Method": "Net-{}", "Dataset": "Bench-{}", "Task": "task {}", "Metric": "score-{}", "Concept": "concept {}"}


def _entities(n: int, rng: np.random.Generator) -> list[dict]:
    entities = []
    for rank in range(n):
        if rank < len(HEAD):
            label, type_, aliases, broader = HEAD[rank]
        else:
            type_ = TYPES[int(rng.choice(len(TYPES), p=TYPE_WEIGHTS))]
            label = TAIL_NAMES[type_].format(rank)
            aliases = [f"{type_[:2].upper()}{rank}"] if rng.random() < 0.3 else []
            broader = None
            if type_ == "Method" and rank % 10 == 0:  # a taxonomy under the head methods
                broader = HEAD[int(rng.choice([0, 2, 3, 8, 12]))][0]
        slug = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-") or f"e{rank}"
        if not slug.isascii():
            slug = f"e{rank}"
        entities.append({"slug": slug, "label": label, "type": type_, "aliases": sorted(aliases), "broader": broader})
    return entities


def synthetic_graph(
    papers: int = 50_000, entities: int = 20_000, *, zipf: float = 1.0, extra_entities: float = 1.0, seed: int = 0
) -> nx.MultiDiGraph:
    """A graph following the paperkg contract with Zipf-distributed entity mentions.

    Each paper mentions ``1 + Poisson(extra_entities)`` distinct entities, drawn by rank with
    probability proportional to ``1 / rank ** zipf``.
    """
    rng = np.random.default_rng(seed)
    ents = _entities(entities, rng)
    by_label = {e["label"]: i for i, e in enumerate(ents)}
    weights = 1.0 / np.arange(1, entities + 1) ** zipf
    cdf = np.cumsum(weights / weights.sum())
    G = nx.MultiDiGraph(name="paperkg", paperkg_version="0.1.0", papers=papers, skipped=0)
    mentions: dict[tuple[int, int], list[dict]] = {}
    relations: dict[tuple[int, str, int], list[dict]] = {}
    proposes: dict[tuple[int, int], dict] = {}
    counts = np.rint(1 + rng.poisson(extra_entities, size=papers)).astype(int)
    for p in range(papers):
        pid = f"synth-{p:06d}"
        chosen: list[int] = []
        while len(chosen) < counts[p]:
            rank = int(np.searchsorted(cdf, rng.random()))
            if rank < entities and rank not in chosen:
                chosen.append(rank)
        parts: list[str] = []
        length = 0

        def say(template: str, *ranks: int) -> tuple[int, int]:
            # append one sentence naming the entities ``ranks``; record a mention of each
            nonlocal length
            start = length + (1 if parts else 0)
            pieces = template.split("{}")
            text, spans = pieces[0], []
            for rank, piece in zip(ranks, pieces[1:]):
                names = [ents[rank]["label"], *ents[rank]["aliases"]]
                name = names[int(rng.integers(len(names)))]
                spans.append((rank, start + len(text), start + len(text) + len(name), name))
                text += name + piece
            parts.append(text)
            length = start + len(text)
            for rank, s, e, name in spans:
                mentions.setdefault((p, rank), []).append({"field": "abstract", "start": s, "end": e, "text": name})
            return start, length

        for rank in chosen:
            say("We study {}.", rank)
        methods = [r for r in chosen if ents[r]["type"] == "Method"]
        for m in methods:
            for r in chosen:
                t, roll = ents[r]["type"], rng.random()
                verb = {"Dataset": ("We evaluate {} on {}.", "evaluatedOn", 0.6),
                        "Task": ("{} is used for {}.", "usedFor", 0.5),
                        "Concept": ("{} uses {}.", "uses", 0.3),
                        "Method": ("We compare {} with {}.", "comparedWith", 0.2)}.get(t)
                if verb and r != m and roll < verb[2]:
                    s, e = say(verb[0], m, r)
                    relations.setdefault((m, verb[1], r), []).append({"paper": pid, "field": "abstract", "start": s, "end": e})
            broader = ents[m]["broader"]
            if broader is not None and rng.random() < 0.5:
                b = by_label[broader]
                s, e = say("{} is a variant of {}.", m, b)
                relations.setdefault((m, "isA", b), []).append({"paper": pid, "field": "abstract", "start": s, "end": e})
        if methods and rng.random() < 0.3:
            m = max(methods)  # the rarest method of the paper is its own contribution
            s, e = say("We propose {}.", m)
            proposes[(p, m)] = {"field": "abstract", "start": s, "end": e}
        year = int(rng.integers(2015, 2025))
        G.add_node(
            f"paper:{pid}", kind="paper", id=pid, title=f"Synthetic paper {p}", abstract=" ".join(parts),
            year=year, date=None, authors=[f"Author {int(rng.integers(5000))}" for _ in range(2)], url=None,
            categories=[("cs.LG", "cs.CV", "cs.CL", "stat.ML")[p % 4]], source=f"synthetic:{p + 1}",
        )
    paper_count = np.zeros(entities, dtype=int)
    mention_count = np.zeros(entities, dtype=int)
    for (p, rank), items in mentions.items():
        paper_count[rank] += 1
        mention_count[rank] += len(items)
    for rank, e in enumerate(ents):
        if paper_count[rank]:
            G.add_node(f"entity:{e['slug']}", kind="entity", id=e["slug"], label=e["label"], type=e["type"],
                       aliases=e["aliases"], paper_count=int(paper_count[rank]), mention_count=int(mention_count[rank]))
    for (p, rank), items in mentions.items():
        G.add_edge(f"paper:synth-{p:06d}", f"entity:{ents[rank]['slug']}", key="mentions", count=len(items),
                   evidence=items)
    for (p, rank), item in proposes.items():
        G.add_edge(f"paper:synth-{p:06d}", f"entity:{ents[rank]['slug']}", key="proposes", evidence=[item])
    for (a, key, b), items in relations.items():
        G.add_edge(f"entity:{ents[a]['slug']}", f"entity:{ents[b]['slug']}", key=key,
                   support=len({i["paper"] for i in items}), evidence=items)
    return G


def synthetic_export(args) -> Path:
    """Write (or reuse) the synthetic Turtle export for these arguments."""
    from paperkg.export.rdf import write_rdf

    name = f"papers{args.papers}-entities{args.entities}-zipf{args.zipf}-extra{args.extra}-seed{args.seed}"
    path = Path(args.data) / name / "graph.ttl"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    G = synthetic_graph(args.papers, args.entities, zipf=args.zipf, extra_entities=args.extra, seed=args.seed)
    t1 = time.perf_counter()
    write_rdf(G, path)
    print(f"generated {args.papers} papers in {t1 - t0:.1f} s, exported in {time.perf_counter() - t1:.1f} s → {path}",
          file=sys.stderr)
    return path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def typical_params(store) -> list[tuple[str, dict[str, str]]]:
    """Parameters of everyday use: entities from the middle of the frequency ranking.

    The defaults name the most frequent entities (the worst case); these name the entity at
    rank 100 by papers (and the 20th dataset, method and 10th task), one paper that proposes
    something and the Dataset type.
    """
    from paperkg.query import run_query

    def ranked(type_: str, rank: int) -> str:
        rows = run_query(store, f"SELECT ?l WHERE {{ ?e a {type_} ; pkg:paperCount ?n ; skos:prefLabel ?l }} "
                                f"ORDER BY DESC(?n) ?l OFFSET {rank - 1} LIMIT 1").rows
        return rows[0][0]

    entity = ranked("?class", 100)
    method, dataset, task = ranked("pkg:Method", 20), ranked("pkg:Dataset", 20), ranked("pkg:Task", 10)
    paper = run_query(store, "SELECT ?id WHERE { ?p pkg:proposes ?e ; dcterms:identifier ?id } ORDER BY ?id LIMIT 1").rows[0][0]
    return [
        ("aliases-of", {"entity": entity}),
        ("co-mentioned-with", {"entity": entity}),
        ("compared-with", {"entity": method}),
        ("datasets-for-method", {"method": method}),
        ("entity-papers", {"entity": entity}),
        ("entity-trend", {"entity": entity}),
        ("isa-hierarchy", {"entity": method}),
        ("methods-for-task", {"task": task}),
        ("methods-on-dataset", {"dataset": dataset}),
        ("paper-proposes", {"paper": paper}),
        ("papers-mentioning-both", {"a": method, "b": dataset}),
        ("relation-evidence", {"entity": method}),
        ("top-entities-by-type", {"type": "Dataset"}),
    ]


def _timed(store, query, params, runs: int) -> tuple[int, float, float]:
    from paperkg.query import run_query

    rows = len(run_query(store, query, params=params).rows)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        run_query(store, query, params=params)
        times.append((time.perf_counter() - t) * 1000)
    return rows, statistics.median(times), _percentile(times, 0.95)


def bench_store(path: Path, runs: int) -> tuple[float, int, dict[str, tuple[int, float, float]]]:
    """Load time, triple count and (rows, p50, p95) per case: defaults, then typical parameters."""
    from paperkg.query import list_queries, load_query
    from paperkg.store import open_store, write_store

    scratch = Path(tempfile.mkdtemp(prefix="paperkg-bench-store-"))
    try:
        t0 = time.perf_counter()
        triples = write_store([path], scratch / "store")
        load = time.perf_counter() - t0
        store = open_store(scratch / "store")
        t0 = time.perf_counter()
        memory = open_store(scratch / "store", in_memory=True)  # what each `paperkg serve` worker holds
        copy = time.perf_counter() - t0
        cases = [(q.name, {}) for q in list_queries()] + typical_params(store)
        results = {}
        for name, params in cases:
            label = name + (" (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")" if params else "")
            rows, p50, p95 = _timed(store, load_query(name), params, runs)
            _, m50, m95 = _timed(memory, load_query(name), params, runs)
            results[label] = (rows, p50, p95, m50, m95)
            print(f"  store {label}: {rows} rows, p50 {p50:.1f} ms on disk, {m50:.1f} ms in memory", file=sys.stderr)
        del store, memory
        return load, copy, triples, results
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _rdflib_query(graph, text: str, conn) -> None:
    times, rows = [], 0
    for _ in range(3):
        t = time.perf_counter()
        rows = len(list(graph.query(text)))
        times.append((time.perf_counter() - t) * 1000)
        if sum(times) > 5000:
            break
    conn.send((rows, times))


def _rdflib_worker(path: str, cap: float, conn) -> None:
    """Parse ``path`` once, then run each query received in a forked child with a time cap.

    The fork shares the parsed graph (copy-on-write), so a query over the cap is killed
    without reloading the graph for the next one.
    """
    import rdflib

    os.nice(5)
    t0 = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    conn.send((time.perf_counter() - t0, len(graph)))
    fork = mp.get_context("fork")  # this process holds no database handles: forking is safe
    while True:
        text = conn.recv()
        if text is None:
            return
        parent, child = fork.Pipe()
        process = fork.Process(target=_rdflib_query, args=(graph, text, child), daemon=True)
        process.start()
        child.close()
        result = parent.recv() if parent.poll(cap) else None
        process.kill()
        process.join()
        conn.send(result)


def bench_rdflib(path: Path, cap: float) -> tuple[float, dict[str, tuple[int | None, float | None]]]:
    from paperkg.query import list_queries

    ctx = mp.get_context("spawn")
    conn, child = ctx.Pipe()
    # not a daemon: it forks one child per query
    worker = ctx.Process(target=_rdflib_worker, args=(str(path), cap, child))
    worker.start()
    child.close()  # a crashed worker then ends conn.recv() with EOFError instead of a hang
    load, size = conn.recv()
    print(f"  rdflib loaded {size} triples in {load:.1f} s", file=sys.stderr)
    results: dict[str, tuple[int | None, float | None]] = {}
    for query in list_queries():
        conn.send(query.text)
        answer = conn.recv()
        results[query.name] = (None, None) if answer is None else (answer[0], statistics.median(answer[1]))
        print(f"  rdflib {query.name}: {results[query.name]}", file=sys.stderr)
    conn.send(None)
    worker.join(30)
    return load, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent of entity mentions")
    parser.add_argument("--extra", type=float, default=0.3, help="mean entities per paper beyond the first")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query on the store")
    parser.add_argument("--cap", type=float, default=60.0, help="rdflib time cap per query, seconds")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib side")
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "paperkg-bench-sparql"))
    args = parser.parse_args(argv)

    path = synthetic_export(args)
    load, copy, triples, store = bench_store(path, args.runs)
    rdflib_load, rdflib = (None, {}) if args.no_rdflib else bench_rdflib(path, args.cap)

    size = path.stat().st_size / 1e6
    load1, load5, _ = os.getloadavg()
    print(f"\n{args.papers} papers, {args.entities} entities (Zipf {args.zipf}), {triples:,} triples, "
          f"Turtle {size:.0f} MB; {os.cpu_count()} CPUs, load average {load1:.1f} / {load5:.1f} (shared machine)")
    rdflib_text = "not run" if args.no_rdflib else f"{rdflib_load:.1f} s"
    print(f"load: Oxigraph store (bulk load) {load:.1f} s, its in-memory copy {copy:.1f} s; "
          f"rdflib (parse Turtle) {rdflib_text}\n")
    print(f"| query | rows | in-memory store p50 ms | p95 ms | on-disk store p50 ms | p95 ms | rdflib ms (cap {args.cap:.0f} s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (rows, p50, p95, m50, m95) in store.items():
        if name not in rdflib:
            other = "not run"
        else:
            r_rows, r_ms = rdflib[name]
            other = "timeout" if r_ms is None else f"{r_ms:,.0f}" + ("" if r_rows == rows else f" ({r_rows} rows!)")
        flag = "" if m50 < 50 else " ⚠"
        print(f"| {name} | {rows} | {m50:.1f}{flag} | {m95:.1f} | {p50:.1f} | {p95:.1f} | {other} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
