"""Per-paper extraction: parsed title and abstract → typed mentions and relations.

Extraction of one paper depends only on that paper and the static lexicon, so it can run
in ``nlp.pipe(n_process=…)`` and give the same result. It combines, in priority order:

1. names defined by abbreviation ("variational autoencoder (VAE)", Schwartz & Hearst),
   with every later use of the short form;
2. variants of known names ("Koopman VAE", "β-VAE"), kept apart and linked by ``isA``;
3. the curated lexicon (``PhraseMatcher``);
4. names in cue contexts ("we propose X", "dubbed X", "on the X dataset");
5. coined names (acronyms, CamelCase, letter+digit names such as "CIFAR-10");
6. noun phrases typed by their head ("…autoencoder" → Method, "…detection" → Task).

Overlaps are settled by priority, then length. Relations are read per sentence
(see :mod:`paperkg.nlp.relations`). Output is plain data (:class:`PaperExtraction`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .models import FIELDS, Mention, Paper, PaperExtraction
from .nlp.abbreviations import Abbreviation, find_abbreviations
from .nlp.candidates import (
    Candidate,
    head_type,
    is_name_token,
    noun_phrase_candidates,
    stripped_phrases,
    word_count,
    written_key,
    name_candidates,
    proposal_targets,
    salient_phrase_candidates,
    shape_type,
    strip_span,
)
from .nlp.lexicon import Lexicon, LexiconMatcher, load_lexicon
from .nlp.model_spans import combine_model_spans, model_spans_on
from .nlp.normalize import clean_surface, is_acronym
from .nlp.pipeline import load_english
from .nlp.scientific_ner import SPANS_KEY
from .nlp.relations import extract_relations
from .nlp.normalize import singularize
from .nlp.terms import GENERIC_HEADS, GENERIC_MODIFIERS, VAGUE_MODIFIERS
from .nlp.tokens import merge_hyphenated

__all__ = ["Extractor", "extract_papers"]

class Extractor:
    """Holds the spaCy pipeline and the lexicon matcher; extracts papers.

    Parameters
    ----------
    nlp : Language, optional
        A parsed-English pipeline; default :func:`paperkg.nlp.pipeline.load_english`.
    lexicon : Lexicon, optional
        Default: the lexicon shipped with paperkg.
    scientific_ner : bool or str
        Also use the SciERC-trained recognizer (``True``: the model shipped with paperkg;
        a path: a retrained model). Its spans are combined with the rule mentions
        (:mod:`paperkg.nlp.model_spans`). Off by default.
    min_confidence : float
        With the recognizer: the lowest probability at which a span the rules do not know
        becomes a new mention (0 keeps them all; extents of known names are unaffected).
    """

    def __init__(self, nlp: Language | None = None, lexicon: Lexicon | None = None, *,
                 scientific_ner: bool | str = False, min_confidence: float = 0.0):
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence}")
        self.min_confidence = min_confidence
        self.nlp = nlp if nlp is not None else load_english(scientific_ner=scientific_ner)
        self._model_source = scientific_ner
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.matcher = LexiconMatcher(self.nlp, self.lexicon)

    @property
    def recognizer(self) -> dict | None:
        """Which recognizer extraction uses, for reports: ``None`` (rules only) or
        ``{"model": "shipped" | the model directory given | "custom", "min_confidence": P}``."""
        if "scientific_ner" not in self.nlp.pipe_names:
            return None
        source = self._model_source
        model = "shipped" if source is True else str(source) if source else "custom"
        return {"model": model, "min_confidence": self.min_confidence}

    # -- batch -----------------------------------------------------------------------------
    def extract(self, papers: Iterable[Paper], *, batch_size: int = 32, n_process: int = 1) -> Iterator[PaperExtraction]:
        """Extract every paper, streaming, in input order."""
        texts = ((sentence_case(paper.text(f)) if f == "title" else paper.text(f), (paper, f)) for paper in papers for f in FIELDS)
        docs: dict[str, Doc] = {}
        for doc, (paper, field) in self.nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process):
            docs[field] = doc
            if field == FIELDS[-1]:
                yield self.extract_docs(paper, docs)
                docs = {}

    def extract_paper(self, paper: Paper) -> PaperExtraction:
        """Extract one paper (convenience wrapper around :meth:`extract`)."""
        return next(self.extract([paper]))

    # -- one paper -------------------------------------------------------------------------
    def extract_docs(self, paper: Paper, docs: dict[str, Doc]) -> PaperExtraction:
        """Extract one paper from its parsed fields (``{"title": Doc, "abstract": Doc}``)."""
        use_model = "scientific_ner" in self.nlp.pipe_names
        model_spans = {f: _recognized(doc) if use_model else [] for f, doc in docs.items()}
        for doc in docs.values():
            merge_hyphenated(doc)
        abbreviations = {field: find_abbreviations(doc) for field, doc in docs.items()}
        definitions = self._definitions(docs, abbreviations, {f: paper.text(f) for f in docs})
        chosen: dict[str, list[Candidate]] = {}
        variant_links: list[tuple[str, str, str, int, int]] = []
        salient: dict[int, list[Candidate]] = {}
        for doc, cand in salient_phrase_candidates(list(docs.values())):
            salient.setdefault(id(doc), []).append(cand)
        for field, doc in docs.items():
            text = paper.text(field)
            cands = self._candidates(doc, abbreviations[field], definitions, variant_links, field, text)
            picked = [_final_key(c, doc, text) for c in _select(cands + salient.get(id(doc), []))]
            if use_model:
                picked = combine_model_spans(doc, picked, model_spans_on(doc, model_spans[field]), self.lexicon, text,
                                             min_confidence=self.min_confidence)
            chosen[field] = picked
        key_types = self._settle_types(chosen)
        mentions = []
        for field, cands in chosen.items():
            doc = docs[field]
            for c in cands:
                typ = c.type or key_types.get(c.key)
                if typ is None:
                    continue
                span = doc[c.start : c.end]
                text = paper.text(field)[span.start_char : span.end_char]
                extent = doc[c.extent[0] : c.extent[1]] if c.extent else None
                mentions.append(Mention(text, typ, field, span.start_char, span.end_char, c.key, c.origin, c.confidence,
                                        extent.start_char if extent else None, extent.end_char if extent else None))
        mentions.sort(key=lambda m: (FIELDS.index(m.field), m.start))
        relations = extract_relations(paper, docs, mentions, variant_links, self.lexicon)
        defined = tuple(sorted((short, info[0]) for short, info in definitions.items()))
        return PaperExtraction(paper, tuple(mentions), tuple(relations), defined)

    def _definitions(self, docs: dict[str, Doc], abbreviations, texts: dict[str, str]) -> dict[str, tuple[str, str, Abbreviation]]:
        """Short form → (key, type, definition) for the abbreviations this paper defines."""
        out: dict[str, tuple[str, str, Abbreviation]] = {}
        for field in ("abstract", "title"):
            doc = docs.get(field)
            if doc is None:
                continue
            for ab in abbreviations[field]:
                if ab.short in out:
                    continue
                entry = self.lexicon.lookup(ab.long) or self.lexicon.lookup(ab.short)
                if entry is not None:
                    out[ab.short] = (entry.label, entry.type, ab)
                    continue
                span = doc.char_span(ab.long_start, ab.long_end, alignment_mode="expand")
                written = texts[field][ab.long_start : ab.long_end]
                typ = _type_long_form(span, ab.short, self.lexicon, written)
                if typ is not None:
                    out[ab.short] = (clean_surface(written), typ, ab)
        return out

    def _candidates(self, doc: Doc, abbreviations, definitions, variant_links, field: str, text: str) -> list[Candidate]:
        """Every candidate of one field, overlapping; :func:`_select` chooses among them."""
        lexicon_matches = self.matcher(doc)
        cands = [Candidate(span.start, span.end, entry.type, entry.label, "lexicon") for span, entry in lexicon_matches]
        cands += _abbreviation_candidates(doc, abbreviations, definitions)
        cands += self._variant_candidates(doc, lexicon_matches, definitions, variant_links, field, text)
        cands += _cue_candidates(doc)
        cands += name_candidates(doc)
        cands += noun_phrase_candidates(doc)
        return cands

    def _variant_candidates(self, doc: Doc, lexicon_matches, definitions, variant_links, field: str, text: str):
        """Variants of known names, kept apart and linked by ``isA`` (appended to ``variant_links``).

        A specific modifier before a lexicon name ("Koopman VAE", "recurrent variational
        autoencoder", "multi-view contrastive learning"), or a hyphenated prefix ("β-VAE").
        """
        out = []
        by_end = {span.end: (span, entry) for span, entry in lexicon_matches}
        covered = {i for span, _ in lexicon_matches for i in range(span.start, span.end)}
        for span in stripped_phrases(doc):
            inner = by_end.get(span.end)
            if len(span) < 2 or word_count(span) > 5 or inner is None or inner[0].start <= span.start:
                continue
            inner_span, entry = inner
            mods = [t for t in doc[span.start : inner_span.start] if not t.is_punct]
            if not _varies(mods, entry, covered) or self.lexicon.lookup(span.text) is not None:
                continue
            key = written_key(span, text)
            out.append(Candidate(span.start, span.end, entry.type, key, "variant"))
            variant_links.append((key, entry.label, field, span.sent.start_char, span.sent.end_char))
        for tok in doc:
            if "-" in tok.text and tok.text not in definitions:
                prefix, _, last = tok.text.rpartition("-")
                entry = self.lexicon.lookup(last) if is_acronym(last) else None
                if entry is not None and prefix and self.lexicon.lookup(tok.text) is None:
                    out.append(Candidate(tok.i, tok.i + 1, entry.type, tok.text, "variant"))
                    variant_links.append((tok.text, entry.label, field, tok.sent.start_char, tok.sent.end_char))
        return out

    @staticmethod
    def _settle_types(chosen: dict[str, list[Candidate]]) -> dict[str, str]:
        """Type the untyped coined names: by the paper's other mentions of them, else by shape."""
        votes: dict[str, Counter] = {}
        for cands in chosen.values():
            for c in cands:
                if c.type is not None:
                    votes.setdefault(c.key, Counter())[c.type] += 1
        out = {}
        for cands in chosen.values():
            for c in cands:
                if c.type is None and c.key not in out:
                    out[c.key] = votes[c.key].most_common(1)[0][0] if c.key in votes else shape_type(c.key)
        return out


def _abbreviation_candidates(doc: Doc, abbreviations, definitions) -> list[Candidate]:
    """Every use of a defined short form ("VAE", "VAEs") and the defining long forms."""
    out = []
    for tok in doc:
        short = tok.text if tok.text in definitions else tok.text[:-1]
        if short in definitions and tok.text in (short, short + "s"):
            key, typ, _ = definitions[short]
            out.append(Candidate(tok.i, tok.i + 1, typ, key, "abbreviation"))
    for ab in abbreviations:
        info = definitions.get(ab.short)
        if info is None or clean_surface(info[2].long).lower() != clean_surface(ab.long).lower():
            continue
        span = doc.char_span(ab.long_start, ab.long_end, alignment_mode="expand")
        if span is not None:
            out.append(Candidate(span.start, span.end, info[1], info[0], "abbreviation"))
    return out


def _varies(mods, entry, covered: set[int]) -> bool:
    """Whether modifiers before a lexicon name make a variant of it."""
    if not mods or entry.type == "Dataset":
        return False  # "data-limited CIFAR-10" is CIFAR-10
    if any(t.lower_ in VAGUE_MODIFIERS or singularize(t.lower_) in GENERIC_MODIFIERS for t in mods):
        return False
    if any(t.pos_ not in {"ADJ", "NOUN", "PROPN", "VERB"} or t.like_num or t.i in covered for t in mods):
        return False  # "ADE20K semantic segmentation" is a dataset and a task, not a variant
    if any(c.isupper() for c in entry.label):
        # a proper name is varied only by a name: "Koopman VAE", not "class-conditional BigGAN"
        return all((t.text[:1].isupper() and t.pos_ == "PROPN") or is_name_token(t) for t in mods)
    return True


def _cue_candidates(doc: Doc) -> list[Candidate]:
    """Coined names in cue contexts: "we propose GCRL", "termed f-distill"."""
    out = []
    for span, _sent in proposal_targets(doc):
        span = strip_span(span)
        if span is not None and len(span) == 1 and (is_name_token(span[0]) or "-" in span[0].text):
            out.append(Candidate(span.start, span.end, "Method", span.text, "cue"))
    return out


_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")


def sentence_case(title: str) -> str:
    """Lower-case the Title-Case words of a title (same length, same offsets).

    Titles are written in Title Case, which the English tagger reads as proper nouns;
    parsing the sentence-cased title gives usable noun phrases. Acronyms and coined
    names ("VAE", "GFlowNets", "ImageNet") are left alone.

    >>> sentence_case("Robust Outlier Rejection for 3D Registration with VAEs")
    'robust outlier rejection for 3D registration with VAEs'
    """
    return _TITLE_WORD.sub(lambda m: m.group(0).lower(), title)


def _type_long_form(span, short: str, lexicon: Lexicon, written: str) -> str | None:
    """Type a defined long form: by its head word, else as a named method/concept.

    A coined acronym whose long form is written as a Capitalised Name ("Pareto Domain
    Adaptation (ParetoDA)", "LANGuage-guided Object detection (LANGO)") names a method,
    whatever its head word says, unless the head marks a dataset or metric.
    """
    if span is None:
        return None
    span = strip_span(span)
    if span is None:
        return None
    typ = head_type(span) if len(span) > 1 else None
    capitalised = sum(1 for w in written.split()[1:] if w[:1].isupper()) >= 1 and written[:1].isupper()
    if capitalised and typ in {None, "Task"} and len(written.split()) >= 2:
        return "Method"
    if typ is not None:
        return typ
    last = span[-1].lower_
    inner = lexicon.lookup(span[-1].text)
    if inner is not None:
        return inner.type
    if singularize(last) in GENERIC_HEADS or len(span) > 1:
        return shape_type(short)
    return None


def _final_key(c: Candidate, doc: Doc, text: str) -> Candidate:
    """The candidate with the key resolution groups on: the lexicon label or defined long
    form for known names, else the cleaned text as written (titles are parsed re-cased)."""
    if c.origin in {"lexicon", "abbreviation", "variant"}:
        return c
    return dataclasses.replace(c, key=written_key(doc[c.start : c.end], text))


def _recognized(doc: Doc) -> list[tuple[int, int, str, float]]:
    """The recognizer's spans in ``doc`` (before re-tokenisation) with their probabilities."""
    spans = doc.spans.get(SPANS_KEY)
    if spans is None:
        return []
    scores = spans.attrs.get("scores")
    return [(s.start_char, s.end_char, s.label_, round(float(scores[i].max()), 4) if scores is not None else 1.0)
            for i, s in enumerate(spans)]


def _select(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: higher priority first, then longer, then earlier."""
    taken: set[int] = set()
    kept = []
    for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if taken.isdisjoint(range(c.start, c.end)):
            kept.append(c)
            taken.update(range(c.start, c.end))
    return sorted(kept, key=lambda c: c.start)


def extract_papers(papers: Iterable[Paper], *, extractor: Extractor | None = None, **kw) -> Iterator[PaperExtraction]:
    """Extract every paper with a default :class:`Extractor` (see :meth:`Extractor.extract`)."""
    return (extractor or Extractor()).extract(papers, **kw)
