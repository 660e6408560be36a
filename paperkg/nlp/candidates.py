"""Candidate entity spans in a parsed ``Doc``: names, cue contexts and typed noun phrases.

Pure functions over a ``Doc`` that has been through :func:`paperkg.nlp.tokens.merge_hyphenated`.
Each returns :class:`Candidate` records (token offsets, a type or ``None``, a priority);
:func:`paperkg.extract.extract_paper` chooses among overlapping ones.

What this does not do: type a name that has no cue at all beyond its shape (the caller
falls back to shape defaults), or find names split across sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .normalize import clean_surface, is_acronym, match_key, singularize, word_forms
from .terms import (
    ACRONYM_SUFFIX_TYPES,
    DATASET_CUE_NOUNS,
    GENERIC_HEADS,
    GENERIC_MODIFIERS,
    HARD_GENERIC_HEADS,
    GENERIC_PHRASES,
    HEAD_TYPES,
    NAMED_HEAD_TYPES,
    STRIP_MODIFIERS,
    VAGUE_MODIFIERS,
)

__all__ = [
    "Candidate",
    "PRIORITY",
    "strip_span",
    "head_type",
    "shape_type",
    "is_name_token",
    "noun_phrase_candidates",
    "is_term_phrase",
    "phrase_spans",
    "stripped_phrases",
    "word_count",
    "written_key",
    "salient_phrase_candidates",
    "name_candidates",
    "dataset_context",
    "proposal_targets",
]

#: Priority of each origin when candidates overlap (higher wins, then longer).
PRIORITY = {"variant": 6, "abbreviation": 5, "lexicon": 5, "cue": 3, "model": 3, "name": 2, "salient": 2, "np": 1}

#: Acronyms that are never entities of ours.
NON_ENTITY_ACRONYMS = frozenset(
    "SOTA AI ML US UK EU GPU GPUs CPU TPU API URL PDF II III IV IID NP USA OK ID PhD IEEE ACM AAAI TODO".split()
)

_DATASET_SHAPE = re.compile(r"^(?:[A-Z][A-Za-z]*-?\d+[A-Za-z]*|\d+[A-Z][A-Za-z0-9]+|[A-Z]{2,}(?:-[A-Z0-9]+)+)$")
_WORDLIKE = re.compile(r"^(?:[\w][\w\-/.']*|[-/])$")
_CAMEL = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+$")
#: A number with a unit or a magnitude: "400GB", "3GHz", "1.5B", "100K", "60fps".
_QUANTITY = re.compile(r"^\d+(?:\.\d+)?(?:[kKMGTP]i?)?(?:B|bits?|Hz|FLOPs|FLOPS|fps|FPS|px|dB|Wh|W|ms|K|M|T)$")
_EVAL_WORDS = word_forms(
    *"experiment evaluate evaluation result test benchmark validate demonstrate show achieve outperform "
    "perform conduct report train study surpass improve obtain attain reach yield set".split()
)
_PROPOSE_WORDS = word_forms(*"propose introduce present develop design devise formulate put offer".split())
_DATASET_SENTENCE_WORDS = word_forms("experiment", "benchmark", "dataset", "evaluate")
_NAMING_WORDS = frozenset("called dubbed termed named coined".split())


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible mention: tokens ``start:end`` of one field's ``Doc``."""

    start: int
    end: int
    type: str | None
    key: str
    origin: str
    confidence: float = 1.0
    #: Tokens ``start:end`` of the longer phrase the recognizer marked around this name.
    extent: tuple[int, int] | None = None

    @property
    def priority(self) -> int:
        return PRIORITY[self.origin]


def is_name_token(tok: Token) -> bool:
    """A coined name: acronym ("GCRL"), CamelCase ("ImageNet"), or letters with digits
    ("CIFAR-10"); not a quantity with a unit ("400GB", "3GHz", "1.5B")."""
    text = tok.text
    if text.islower() and text.isalpha():
        return False
    if text in NON_ENTITY_ACRONYMS or not any(c.isalpha() for c in text) or tok.like_url or tok.like_email:
        return False
    if len(text) <= 3 and any(c.isdigit() for c in text) and not is_acronym(text):
        return False  # "L1", "T5"-like short codes are too ambiguous without the lexicon
    if not _WORDLIKE.match(text) or _QUANTITY.match(text):
        return False
    return is_acronym(text) or bool(_DATASET_SHAPE.match(text)) or bool(_CAMEL.match(text))


def shape_type(text: str) -> str:
    """Type of an unknown coined name from its shape alone.

    >>> shape_type("PV-RNN"), shape_type("VSC-RL"), shape_type("3DMatch"), shape_type("GCRL"), shape_type("UL2")
    ('Method', 'Method', 'Dataset', 'Method', 'Method')
    """
    upper = text.upper()
    for suffix, typ in ACRONYM_SUFFIX_TYPES.items():
        if upper.endswith(suffix):
            return typ
    if text[:1].isdigit():
        return "Dataset"  # "3DMatch", "20Newsgroups"; other datasets are typed by their context
    return "Method"


#: Verb forms that never begin a name: a mis-chunked "to supplement Web search engines".
_FINITE_VERB_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD"})


def strip_span(span: Span) -> Span | None:
    """Strip determiners, pronouns, numbers, punctuation and evaluative modifiers at both ends.

    Returns ``None`` when nothing worth a name is left.
    """
    start, end = span.start, span.end
    doc = span.doc
    while start < end and not (start + 2 < end and _hyphen_compound(doc, start)) and (
        doc[start].pos_ in {"DET", "PRON", "NUM", "PUNCT", "CCONJ", "ADP", "PART", "AUX", "SYM", "ADV"}
        or doc[start].lower_ in STRIP_MODIFIERS
        or doc[start].like_num
        or doc[start].tag_ in _FINITE_VERB_TAGS
        or doc[start].text.startswith(("-", "'"))
    ):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ in {"PART", "DET", "ADP", "CCONJ"}):
        end -= 1
    if start >= end or (start >= 2 and _hyphen_compound(doc, start - 2)):
        return None  # the phrase would start inside "fine-grained": a fragment
    return doc[start:end]


def _hyphen_compound(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a word joined by a hyphen, without spaces, to the token after
    it ("fine" in "fine-grained"): it is never stripped off alone, and no phrase starts at
    the part after the hyphen."""
    return doc[i].is_alpha and not doc[i].whitespace_ and doc[i + 1].text == "-" and not doc[i + 1].whitespace_


def head_type(span: Span) -> str | None:
    """Type a noun phrase by its head word, or ``None`` when the head says nothing.

    Heads in :data:`HEAD_TYPES` type any phrase of two or more words; heads in
    :data:`NAMED_HEAD_TYPES` ("model", "score") only with a specific modifier.
    """
    head = singularize(span[-1].lower_)
    text = clean_surface(span.text).lower()
    if text in GENERIC_PHRASES:
        return None
    modifiers = [t for t in span[:-1] if t.lower_ not in STRIP_MODIFIERS]
    if not modifiers:
        return None
    if all(singularize(t.lower_) in GENERIC_MODIFIERS or t.is_punct for t in modifiers):
        return None
    if head in HEAD_TYPES:
        return HEAD_TYPES[head]
    if head in NAMED_HEAD_TYPES:
        if all(t.lower_ in VAGUE_MODIFIERS or t.lower_ in GENERIC_MODIFIERS or t.is_punct for t in modifiers):
            return None
        if not any(t.pos_ in {"NOUN", "PROPN"} for t in modifiers):
            return None  # "right architecture", "well-trained model": adjectives alone name nothing
        return NAMED_HEAD_TYPES[head]
    if "-" in head:
        last = singularize(head.rsplit("-", 1)[-1])
        if last in HEAD_TYPES:
            return HEAD_TYPES[last]
    return None


_RUN_POS = frozenset({"ADJ", "NOUN", "PROPN"})


def _in_run(tok: Token) -> bool:
    if tok.pos_ in _RUN_POS:
        return True
    if tok.text in {"-", "/"} and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_:
        return True
    return tok.pos_ == "VERB" and tok.tag_ in {"VBN", "VBG"} and tok.dep_ in {"amod", "compound"}


def phrase_spans(doc: Doc) -> list[Span]:
    """Noun phrases: spaCy's noun chunks plus maximal ADJ/NOUN/PROPN runs ending in a noun.

    The POS runs catch phrases the small parser splits ("dance-to-music generation").
    """
    cached = doc.user_data.get(("paperkg", "phrase_spans"))
    if cached is not None:
        return cached
    spans = {(c.start, c.end): c for c in doc.noun_chunks}
    i, n = 0, len(doc)
    while i < n:
        if not _in_run(doc[i]):
            i += 1
            continue
        j = i
        while j < n and _in_run(doc[j]):
            j += 1
        end = j
        while end > i and doc[end - 1].pos_ not in {"NOUN", "PROPN"}:
            end -= 1
        if end > i:
            spans.setdefault((i, end), doc[i:end])
        i = j
    result = [spans[k] for k in sorted(spans)]
    doc.user_data[("paperkg", "phrase_spans")] = result
    return result


def stripped_phrases(doc: Doc) -> list[Span]:
    """:func:`phrase_spans` after :func:`strip_span`, without the empty ones (cached on the doc)."""
    cached = doc.user_data.get(("paperkg", "stripped_phrases"))
    if cached is None:
        cached = [s for s in map(strip_span, phrase_spans(doc)) if s is not None]
        doc.user_data[("paperkg", "stripped_phrases")] = cached
    return cached


def word_count(span: Span) -> int:
    """Words in a span, counting "class-conditioned" as one word."""
    return sum(1 for t in span if not t.is_punct) - sum(
        1 for t in span[1:] if t.i > span.start and not span.doc[t.i - 1].whitespace_ and not t.is_punct
        and span.doc[t.i - 1].is_punct and span.doc[t.i - 1].text in {"-", "/"}
    )


def written_key(span: Span, text: str) -> str:
    """The name a span gives, cleaned, as the field ``text`` writes it (a title's ``Doc``
    is parsed re-cased, so its own text is not the written form)."""
    return clean_surface(text[span.start_char : span.end_char])


#: Generic heads that still make a method name with two specific modifiers
#: ("hierarchical Bayesian model", "variational non-local network").
METHOD_HEADS_WHEN_NAMED = frozenset(
    "model network framework system algorithm architecture strategy scheme procedure technique mechanism module".split()
)

#: Heads that name a setting or a device, stripped to leave the task or method name.
TASK_SUFFIX_HEADS = frozenset({"task", "problem", "setting", "scenario"})
METHOD_SUFFIX_HEADS = frozenset({"strategy", "scheme", "procedure", "technique", "mechanism", "algorithm"})


def noun_phrase_candidates(doc: Doc, *, max_tokens: int = 4) -> list[Candidate]:
    """Noun chunks stripped of determiners/evaluative words and typed by their head.

    Chunks longer than ``max_tokens`` after stripping are left out: long descriptive
    phrases ("discriminative inlier/outlier feature representations") are not names.
    """
    out = []
    for span in stripped_phrases(doc):
        if word_count(span) > max_tokens or len(span) < 2:
            continue
        if any(t.like_num or t.like_url or t.pos_ in {"PRON"} or not _WORDLIKE.match(t.text) for t in span):
            continue
        typ = head_type(span)
        head = singularize(span[-1].lower_)
        if typ is None and head in TASK_SUFFIX_HEADS | METHOD_SUFFIX_HEADS:
            rest = [t for t in span[:-1] if not t.is_punct]
            if len(rest) >= 2 and not any(t.lower_ in VAGUE_MODIFIERS or singularize(t.lower_) in GENERIC_MODIFIERS for t in rest[:1]):
                typ = "Task" if head in TASK_SUFFIX_HEADS else "Method"
                if head in TASK_SUFFIX_HEADS and word_count(span[:-1]) >= 2:
                    span = span[:-1]
        if typ is None and head in GENERIC_HEADS and len(span) > 2:
            # "human trajectory prediction models": the task before a generic head
            rest = strip_span(span[:-1])
            if rest is not None and len(rest) >= 2 and head_type(rest) == "Task":
                span, typ = rest, "Task"
        if typ is not None:
            out.append(Candidate(span.start, span.end, typ, clean_surface(span.text), "np"))
    return out


def _default_type(span: Span) -> str:
    """Type of a term whose head word says nothing: methods for "-ing" processes and named devices, else concepts."""
    head = singularize(span[-1].lower_)
    if head in METHOD_HEADS_WHEN_NAMED or (head.endswith("ing") and head != "setting"):
        return "Method"
    return "Concept"


def is_term_phrase(span: Span) -> bool:
    """Whether a stripped phrase may stand as a term: no pronouns, adverbs or numbers, not a
    generic phrase, a head that is not generic (or made specific by its modifiers)."""
    if any(t.like_num or t.like_url or t.pos_ in {"PRON", "ADV"} or (t.pos_ == "VERB" and t.tag_ not in {"VBN", "VBG"})
           or not _WORDLIKE.match(t.text) for t in span):
        return False
    if span[0].is_punct or span[-1].is_punct or clean_surface(span.text).lower() in GENERIC_PHRASES:
        return False
    head = singularize(span[-1].lower_)
    specific = [t for t in span[:-1] if not t.is_punct and t.lower_ not in VAGUE_MODIFIERS
                and singularize(t.lower_) not in GENERIC_MODIFIERS and t.lower_ not in STRIP_MODIFIERS]
    if head in HARD_GENERIC_HEADS:
        return False
    if head in METHOD_HEADS_WHEN_NAMED and len(specific) < 2:
        return False
    if head in GENERIC_HEADS and not specific:
        return False
    return not all(
        t.lower_ in VAGUE_MODIFIERS or singularize(t.lower_) in GENERIC_MODIFIERS or t.is_punct for t in span[:-1]
    )


def _suffixes(span: Span) -> list[Span]:
    """The phrase and its shorter endings of two or more words ("weighted low-rank
    factorization" → "low-rank factorization"), never starting inside a hyphenated word."""
    out = [span]
    doc = span.doc
    for i in range(span.start + 1, span.end - 1):
        if doc[i].is_punct or (doc[i - 1].text in {"-", "/"} and not doc[i - 1].whitespace_):
            continue
        sub = doc[i : span.end]
        if word_count(sub) >= 2:
            out.append(sub)
    return out


def salient_phrase_candidates(docs: list[Doc], *, min_count: int = 2, max_tokens: int = 4) -> list[tuple[Doc, Candidate]]:
    """Noun phrases a paper repeats or puts in its title, typed by head or as concepts.

    A phrase the authors write twice (title and abstract counted together) is usually a
    term of the paper ("Koopman theory", "state flow function") even when its head word
    says nothing; a repeated ending of longer phrases counts too ("hard constraints" in
    "physics-informed hard constraints … the hard constraints"). Repeated phrases get
    origin ``"salient"`` (above plain noun phrases); title-only ones ``"np"``. Generic
    heads, vague modifiers and evaluative words are filtered as for other phrases.
    """
    seen: dict[str, dict[tuple[int, int, int], tuple[Doc, Span]]] = {}
    for doc_index, doc in enumerate(docs):
        for span in stripped_phrases(doc):
            if len(span) < 2 or word_count(span) > max_tokens:
                continue
            for sub in _suffixes(span):
                if is_term_phrase(sub):
                    seen.setdefault(match_key(sub.text), {})[(doc_index, sub.start, sub.end)] = (doc, sub)
    out = []
    for group in seen.values():
        occurrences = list(group.values())
        in_title = len(docs) > 1 and any(i == 0 for i, _, _ in group)
        repeated = len(occurrences) >= min_count
        if not repeated and not in_title:
            continue
        for doc, span in occurrences:
            typ = head_type(span) or _default_type(span)
            out.append((doc, Candidate(span.start, span.end, typ, clean_surface(span.text), "salient" if repeated else "np")))
    return out


def dataset_context(tok: Token) -> bool:
    """Whether a name token sits where datasets are named.

    "the KITTI dataset", "experiments on X, Y and Z", "benchmarks such as X", "X and Y datasets".
    """
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in DATASET_CUE_NOUNS:
        return True
    if tok.head.lower_ in DATASET_CUE_NOUNS and tok.dep_ in {"compound", "nmod", "amod", "appos", "conj"}:
        return True
    # climb conjunctions to the first conjunct, then look at its attachment
    first = tok
    while first.dep_ in {"conj", "appos"} and first.head.i != first.i:
        first = first.head
    if first.head.lower_ in DATASET_CUE_NOUNS:
        return True
    if first.dep_ == "pobj" and first.head.lower_ in {"on", "across"}:
        anchor = first.head.head
        if anchor.lower_ in _EVAL_WORDS or any(t.lower_ in _DATASET_SENTENCE_WORDS for t in tok.sent):
            return True
    if first.dep_ == "pobj" and first.head.lower_ in {"as", "including"}:
        anchor = first.head.head
        if anchor.lower_ == "such":
            anchor = anchor.head
        if singularize(anchor.lower_) in {"dataset", "benchmark", "corpus", "environment"}:
            return True
    return False


def name_candidates(doc: Doc) -> list[Candidate]:
    """Coined names (acronyms, CamelCase, letter+digit names), typed by context or shape."""
    out = []
    for tok in doc:
        if not is_name_token(tok):
            continue
        typ = "Dataset" if dataset_context(tok) else None
        out.append(Candidate(tok.i, tok.i + 1, typ, tok.text, "name"))
    return out


def doc_subtree_np(tok: Token) -> Span:
    """The noun phrase headed by ``tok`` (left modifiers and the token itself)."""
    doc = tok.doc
    start = min([t.i for t in tok.lefts if t.dep_ in {"compound", "amod", "nmod", "det", "nummod", "poss"}] + [tok.i])
    return doc[start : tok.i + 1]


def proposal_targets(doc: Doc) -> list[tuple[Span, Span]]:
    """``(name span, sentence)`` for "we propose X", "X, called Y", "dubbed/termed/named Y".

    The name is the object noun phrase of a proposal verb whose subject is "we" (or a
    passive "X is proposed"), or the word after a naming word. Generic objects ("a novel
    framework") are returned too: the caller links them to an abbreviation or drops them.
    """
    found = []
    for tok in doc:
        if tok.pos_ == "VERB" and tok.lower_ in _PROPOSE_WORDS:
            subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if tok.dep_ == "conj":
                subj = subj or [c for c in tok.head.children if c.dep_ == "nsubj"]
            active = any(s.lower_ in {"we", "paper", "work", "papers", "works"} for s in subj)
            for child in tok.children:
                if active and child.dep_ in {"dobj", "attr"}:
                    found.append((doc_subtree_np(child), tok.sent))
                    found.extend((doc_subtree_np(c), tok.sent) for c in child.conjuncts)
                elif child.dep_ == "nsubjpass" and any(a.dep_ == "auxpass" for a in tok.children):
                    found.append((doc_subtree_np(child), tok.sent))
        elif tok.lower_ in _NAMING_WORDS and tok.i + 1 < len(doc):
            nxt = doc[tok.i + 1]
            coined = any(c.isdigit() or c == "-" for c in nxt.text) and nxt.text[:1].isalnum()
            if (nxt.text[:1].isupper() or is_acronym(nxt.text) or coined) and not nxt.is_stop:
                found.append((doc[nxt.i : nxt.i + 1], tok.sent))
    return found
