"""Time of the SciERC recognizer component with spaCy's n-gram suggester and with paperkg's
term suggester, side by side in one run.

Usage::

    python bench/suggester.py [--n 200] [--repeats 3]

Texts: the abstracts of :func:`throughput.corpus_texts` (the sample corpus, plus
../shared when present), the first ``--n``. The English pipeline parses them once; then
only the ``scientific_ner`` component runs, with each suggester in turn, ``--repeats``
times (interleaved). Prints the best time of each, the candidate spans it scores, and the
speed-up (read the ratio: the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import corpus_texts  # before spaCy, whose import resets sys.path in this environment


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    from spacy.util import registry

    from paperkg.nlp.pipeline import load_english
    from paperkg.nlp.suggester import make_term_suggester

    texts = [abstract for _, abstract in corpus_texts()][: args.n]
    nlp = load_english(scientific_ner=True)
    component = nlp.get_pipe("scientific_ner")
    parsed = list(nlp.pipe(texts, disable=["scientific_ner", "scientific_ents"]))
    suggesters = {
        "spacy.ngram_range_suggester.v1 (1-10)": registry.misc.get("spacy.ngram_range_suggester.v1")(1, 10),
        "paperkg.term_suggester.v1 (1-10)": make_term_suggester(1, 10),
    }
    best = {}
    for _ in range(args.repeats):
        for name, suggest in suggesters.items():
            component.suggester = suggest
            docs = [doc.copy() for doc in parsed]
            start = time.perf_counter()
            list(component.pipe(docs, batch_size=64))
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    print(f"{len(texts)} abstracts, best of {args.repeats}")
    print(f"{'suggester':40s}{'seconds':>9}{'candidates':>12}")
    for name, suggest in suggesters.items():
        n_spans = int(suggest(parsed).dataXd.shape[0])
        print(f"{name:40s}{best[name]:>9.2f}{n_spans:>12,}")
    ngram, term = best.values()
    print(f"speed-up of the term suggester: {ngram / term:.2f}x")


if __name__ == "__main__":
    main()
