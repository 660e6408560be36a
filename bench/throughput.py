"""End-to-end ``paperkg build`` throughput against the bare English pipeline, side by side.

Usage::

    python bench/throughput.py [--n 2000] [--jobs 1] [--model]

Texts: the embedded sample corpus, plus ../shared/corpus and ../shared/scierc/*.json when
present, cycled to ``--n`` papers with distinct titles. Measured in one run, in turn:

1. ``bare``: ``en_core_web_sm`` with all its components, ``nlp.pipe`` over the same title
   and abstract texts (what a user gets from spaCy alone);
2. ``paperkg``: ``run_build`` (read → extract → resolve → graph → Turtle, HTML, GraphML,
   report) into a temporary directory;
3. with ``--model``: the same build with the SciERC recognizer on (``paperkg build --model``);
4. ``tokenizer``: the tokenizer alone, for scale.

Prints papers/s for each and the paperkg/bare ratio (machines are shared and noisy: read
the ratio, not the absolute numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def corpus_texts() -> list[tuple[str, str]]:
    from paperkg.build import sample_path

    pairs = []
    with open(sample_path(), encoding="utf-8") as fh:
        pairs += [(r["title"], r["abstract"]) for r in map(json.loads, fh)]
    hf = SHARED / "corpus" / "hf-daily-papers-variational.txt"
    if hf.exists():
        paras = [p.strip() for p in hf.read_text(encoding="utf-8").split("\n\n") if p.strip()][6:]
        pairs += list(zip(paras[0::2], paras[1::2]))
    for split in ("train", "dev"):
        path = SHARED / "scierc" / f"{split}.json"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                doc = json.loads(line)
                words = [w for s in doc["sentences"] for w in s]
                text = " ".join(words).replace("-LRB-", "(").replace("-RRB-", ")").replace("-LSB-", "[").replace("-RSB-", "]")
                pairs.append((f"SciERC {doc['doc_key']}", text))
    return pairs


def make_input(n: int, path: Path) -> list[tuple[str, str]]:
    base = corpus_texts()
    rows = []
    for i in range(n):
        title, abstract = base[i % len(base)]
        rows.append((f"{title} (copy {i // len(base)})", abstract))
    with open(path, "w", encoding="utf-8") as fh:
        for i, (t, a) in enumerate(rows):
            fh.write(json.dumps({"id": f"bench-{i:06d}", "title": t, "abstract": a}) + "\n")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--model", action="store_true", help="also time the build with the SciERC recognizer on")
    args = ap.parse_args()

    import spacy

    from paperkg.build import run_build
    from paperkg.extract import Extractor
    from paperkg.nlp.pipeline import load_english

    tmp = Path(tempfile.mkdtemp(prefix="paperkg-bench-"))
    rows = make_input(args.n, tmp / "papers.jsonl")
    texts = [t for pair in rows for t in pair]
    print(f"papers: {len(rows)}  texts: {len(texts)}  chars: {sum(map(len, texts)):,}")

    bare = load_english(disable_unused=False)
    extractor = Extractor()  # loads the pipeline and lexicon once, outside the timing
    list(bare.pipe(texts[:20]))

    t0 = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=64, n_process=args.jobs):
        pass
    t_bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = run_build([tmp / "papers.jsonl"], out_dir=tmp / "out", extractor=extractor, n_process=args.jobs)
    t_build = time.perf_counter() - t0

    t_model = None
    if args.model:
        with_model = Extractor(scientific_ner=True)
        t0 = time.perf_counter()
        run_build([tmp / "papers.jsonl"], out_dir=tmp / "out-model", extractor=with_model, n_process=args.jobs)
        t_model = time.perf_counter() - t0

    tok = spacy.blank("en").tokenizer
    t0 = time.perf_counter()
    for t in texts:
        tok(t)
    t_tok = time.perf_counter() - t0

    n = len(rows)
    print(f"{'run':<28}{'seconds':>10}{'papers/s':>12}")
    print(f"{'bare en_core_web_sm pipe':<28}{t_bare:>10.1f}{n / t_bare:>12.1f}")
    print(f"{'paperkg build (end to end)':<28}{t_build:>10.1f}{n / t_build:>12.1f}")
    if t_model is not None:
        print(f"{'paperkg build --model':<28}{t_model:>10.1f}{n / t_model:>12.1f}")
    print(f"{'tokenizer only':<28}{t_tok:>10.2f}{n / t_tok:>12.0f}")
    print(f"ratio paperkg/bare: {t_bare / t_build:.2f}x  (>1 = paperkg faster)")
    if t_model is not None:
        print(f"ratio with model / without: {t_build / t_model:.2f}x  (throughput kept with the recognizer on)")
    g = result.graph
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
          f"outputs: {', '.join(f'{p.name} {os.path.getsize(p) / 1e6:.1f} MB' for p in result.files.values())}")


if __name__ == "__main__":
    sys.exit(main())
