"""Corpus-wide resolution: paper-local mention keys → canonical entities.

The one corpus-wide step of the pipeline. Keys that denote the same thing are joined
(union–find) when they

- are equal after :func:`~paperkg.nlp.normalize.match_key` (case, hyphens, spaces,
  plural: "Variational Auto-Encoders" = "variational autoencoder");
- are forms of one lexicon entry ("VAE" = "variational autoencoder");
- are a short form and the long form it abbreviates (Schwartz–Hearst pairs from every
  paper; a bare "GCRL" in one paper joins the "GCRL" another paper defines, when the
  corpus agrees on one definition).

Variants are *not* joined ("β-VAE", "Koopman VAE" ≠ "VAE"); they get ``isA`` edges
(:func:`resolve_isa`). The canonical label is the lexicon label, else the defined long
form, else the most frequent written form (lower-cased where the text writes it so);
the type is the lexicon type, else the majority of mention types; the id is the slug.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .models import ENTITY_TYPES, Entity, PaperExtraction
from .nlp.abbreviations import singular_short_form
from .nlp.lexicon import Lexicon, load_lexicon
from .nlp.normalize import clean_surface, is_acronym, match_key, singularize, slugify

__all__ = ["Resolution", "resolve_entities"]

_ORIGIN_WEIGHT = {"lexicon": 5, "abbreviation": 4, "variant": 4, "cue": 3, "model": 3, "name": 1, "salient": 2, "np": 2}


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolution.

    ``entities`` maps entity id → :class:`Entity`; ``key_to_entity`` maps
    ``(paper id, mention key)`` → entity id; ``isa`` lists corpus-level
    ``(child id, parent id, support papers)`` subsumptions found from labels/lexicon.
    """

    entities: dict[str, Entity]
    key_to_entity: dict[tuple[str, str], str]
    isa: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def entity_of(self, paper_id: str, key: str) -> str | None:
        return self.key_to_entity.get((paper_id, key))


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # deterministic: the smaller string becomes the root
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _node(key: str, lexicon: Lexicon | None = None) -> str:
    """The union–find node of a key: its match key (acronyms keep their case, singular).

    Acronym words that the lexicon knows are spelled out first, so "Subgoal-Conditioned
    RL" and "Subgoal-Conditioned Reinforcement Learning" meet.
    """
    if is_acronym(key) and " " not in key:
        return "A:" + singular_short_form(key)
    if lexicon is not None:
        words = []
        for w in key.split():
            entry = lexicon.lookup(w) if is_acronym(w) else None
            words.append(entry.label if entry is not None and " " in entry.label else w)
        key = " ".join(words)
    return "K:" + match_key(key)


def resolve_entities(extractions: Sequence[PaperExtraction], *, lexicon: Lexicon | None = None) -> Resolution:
    """Group the mention keys of all papers into canonical entities.

    Parameters
    ----------
    extractions : sequence of PaperExtraction
        The per-paper results of :mod:`paperkg.extract`, in input order.
    lexicon : Lexicon, optional
        Default: the shipped lexicon.

    Returns
    -------
    Resolution
    """
    lexicon = lexicon if lexicon is not None else load_lexicon()

    def node_of(key: str) -> str:
        return _node(key, lexicon)

    uf = _UnionFind()
    # 1. keys that are forms of one lexicon entry share its label's node
    # 2. abbreviation definitions: short form ↔ long form, with corpus-wide votes
    short_votes: dict[str, Counter] = defaultdict(Counter)
    for ex in extractions:
        for short, long in ex.abbreviations:
            short_votes[short][long] += 1
    for short, votes in short_votes.items():
        (long, n), *rest = votes.most_common()
        if not rest or n > rest[0][1]:
            uf.union(node_of(short), node_of(long))
    for ex in extractions:
        for m in ex.mentions:
            entry = (lexicon.lookup(m.key) or lexicon.lookup(m.text)) if m.origin != "variant" else None
            node = node_of(m.key)
            uf.find(node)
            if entry is not None:
                uf.union(node, node_of(entry.label))
            if m.origin in {"np", "salient", "model", "abbreviation"}:
                continue
            if is_acronym(m.text) and m.origin in {"name", "cue"}:
                uf.union(node, node_of(singularize(m.text)))
    # "GFlowNets" joins "GFlowNet" when both are written somewhere in the corpus
    nodes = set(uf.parent)
    for node in sorted(nodes):
        if node.startswith("A:") and node.endswith("s") and node[:-1] in nodes:
            uf.union(node, node[:-1])
    # collect groups
    groups: dict[str, list] = defaultdict(list)
    for ex in extractions:
        for m in ex.mentions:
            groups[uf.find(node_of(m.key))].append((ex.paper.id, m))
    entities: dict[str, Entity] = {}
    key_to_entity: dict[tuple[str, str], str] = {}
    long_forms = {node_of(long) for votes in short_votes.values() for long in votes}
    for root in sorted(groups):
        members = groups[root]
        label, entry = _canonical_label(members, lexicon, long_forms, node_of)
        typ = entry.type if entry is not None else _majority_type(members)
        base = slugify(label)
        eid = base
        if eid in entities:
            eid = f"{base}-{typ.lower()}"
            n = 2
            while eid in entities:
                eid, n = f"{base}-{typ.lower()}-{n}", n + 1
        aliases = _aliases(label, [clean_surface(m.text) for _, m in members])
        entities[eid] = Entity(eid, label, typ, tuple(aliases))
        for paper_id, m in members:
            key_to_entity[(paper_id, m.key)] = eid
    isa = _isa_links(entities, groups, key_to_entity, lexicon, extractions)
    return Resolution(entities, key_to_entity, isa)


def _canonical_label(members, lexicon: Lexicon, long_forms: set[str], node_of):
    for _, m in members:
        entry = lexicon.lookup(m.key) if m.origin != "variant" else None
        if entry is not None and entry.label == m.key:
            return entry.label, entry
    for _, m in members:
        entry = lexicon.lookup(m.key) if m.origin != "variant" else None
        if entry is not None:
            return entry.label, entry
    counts: Counter = Counter()
    for _, m in members:
        weight = 3 if node_of(m.key) in long_forms and not is_acronym(m.key) else 1
        counts[m.key] += weight * (2 if m.field == "abstract" else 1)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return _case_label(best, [m.text for _, m in members if m.field == "abstract"]), None


def _aliases(label: str, texts: list[str]) -> tuple[str, ...]:
    """Distinct written forms other than the label, one per spelling up to case.

    Where forms differ only in case, the lower-case one (or the most frequent) is kept:
    "Variational Autoencoders" and "variational autoencoders" give one alias.
    """
    by_fold: dict[str, Counter] = defaultdict(Counter)
    for t in texts:
        by_fold[t.casefold()][t] += 1
    out = set()
    for fold, forms in by_fold.items():
        if fold == label.casefold():
            continue
        lower = [f for f in forms if f == f.lower()]
        out.add(lower[0] if lower else sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0])
    return tuple(sorted(out, key=lambda s: (s.lower(), s)))


#: Capitalised words that stay capitalised in a label (names of people and their adjectives).
PROPER_WORDS = frozenset(
    """
    Bayes Bayesian Gaussian Markov Markovian Monte Carlo Langevin Fourier Hamiltonian Koopman Wasserstein
    Euclidean Riemannian Boltzmann Dirichlet Poisson Bernoulli Laplace Laplacian Kalman Hessian Jacobian
    Lipschitz Nash Pareto Shapley Hilbert Banach Lagrangian Newton Gibbs Metropolis Hastings Fisher
    Kullback Leibler Jensen Shannon Brownian Ornstein Uhlenbeck Hebbian Hopfield Turing Fréchet Inception
    Barlow Adam Boolean Cholesky Gram Schmidt Bellman Stein Levenshtein Mahalanobis Sinkhorn Wiener
    Chebyshev Legendre Hermite Lanczos Krylov Nesterov Polyak Franz Parisi Ising Potts
    """.split()
)


#: Words Title Case leaves in lower case inside a hyphenated word ("Text-to-Speech").
_TITLE_LOWER_WORDS = frozenset("a an and as at by for in of on or the to vs via with".split())


def _title_cased(word: str) -> bool:
    """A common word with a capital: "Diffusion", "Self-supervised", or in Title Case
    across a hyphen, "Cross-Modal" (every part capitalised); not an acronym, a coined name
    ("GFlowNet") or a proper name ("Bayesian")."""
    if is_acronym(word) or word in PROPER_WORDS or not word[:1].isupper():
        return False
    parts = [p for p in word.split("-") if p]
    return word[1:].replace("-", "").islower() or all(
        p in _TITLE_LOWER_WORDS or p[0].isupper() and p[1:].islower() for p in parts
    )


def _lower_common(word: str) -> str:
    """Lower-case a Title-Case word, keeping the proper names in it ("Fisher-Scaled" → "Fisher-scaled")."""
    return "-".join(p if p in PROPER_WORDS else p.lower() for p in word.split("-"))


def _case_label(key: str, texts: list[str]) -> str:
    """Lower-case the words that the text also writes in lower case; singular last word.

    ``texts`` are the abstract mentions; with none (a title-only term, written in Title
    Case by convention), every capitalised common word is lower-cased.
    """
    lower_words = {singularize(w) for t in texts for w in clean_surface(t).split() if w.islower()}
    words = clean_surface(key).split()
    out = []
    for w in words:
        if _title_cased(w) and (not texts or singularize(w.lower()) in lower_words):
            w = _lower_common(w)
        out.append(w)
    # a capital only at the start of an otherwise lower-case phrase is the sentence's, not the name's
    first = out[0] if out else ""
    if len(out) > 1 and _title_cased(first) and all(w.islower() for w in out[1:]):
        out[0] = _lower_common(first)
    if out:
        out[-1] = singular_short_form(out[-1]) if is_acronym(out[-1]) else singularize(out[-1])
    return " ".join(out)


def _majority_type(members) -> str:
    votes: Counter = Counter()
    for _, m in members:
        votes[m.type] += _ORIGIN_WEIGHT.get(m.origin, 1)
    return sorted(votes.items(), key=lambda kv: (-kv[1], ENTITY_TYPES.index(kv[0])))[0][0]


def _isa_links(entities, groups, key_to_entity, lexicon: Lexicon, extractions) -> tuple:
    """Corpus-level ``isA``: lexicon parents and head-word subsumption ("latent diffusion model" → "diffusion model")."""
    by_match: dict[str, str] = {}
    for eid, ent in entities.items():
        for form in (ent.label, *ent.aliases):
            by_match.setdefault(match_key(form), eid)
    papers_of: dict[str, set[str]] = defaultdict(set)
    for (paper_id, _), eid in key_to_entity.items():
        papers_of[eid].add(paper_id)
    links = {}
    for eid, ent in entities.items():
        parent_id = None
        entry = lexicon.get(ent.label)
        if entry is not None and entry.parent:
            parent_id = by_match.get(match_key(entry.parent))
        if parent_id is None:
            words = ent.label.split()
            for k in range(1, len(words)):
                tail = " ".join(words[k:])
                cand = by_match.get(match_key(tail))
                if cand is not None and cand != eid and entities[cand].type == ent.type:
                    parent_id = cand
                    break
        if parent_id is not None and parent_id != eid:
            links[(eid, parent_id)] = tuple(sorted(papers_of[eid]))
    return tuple(sorted((c, p, papers) for (c, p), papers in links.items()))
