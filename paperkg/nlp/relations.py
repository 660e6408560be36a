"""Relations between the mentions of one paper, read sentence by sentence.

- ``proposes`` (paper → entity): the object of "we propose/introduce/present X", a name
  given by "called/dubbed/termed X", or a title that starts "X: …".
- ``evaluatedOn`` (Method → Dataset): a sentence with an evaluation cue ("experiments",
  "evaluate", "results", "outperforms", "achieves") naming datasets; the subject is the
  sentence's methods, else the paper's proposed method.
- ``usedFor`` (Method → Task): "X for Y" within a sentence; a title "X for Y".
- ``comparedWith`` (Method → Method): "outperforms / surpasses / compared with X".
- ``uses`` (Method → Method/Concept): "X uses / employs / leverages Y"; "we use Y" for the
  proposed method.
- ``isA``: variants ("Koopman VAE" → VAE), Hearst "Xs such as Y and Z", appositions
  "Y, a X".

What this does not do: relations across sentences, negation ("does not outperform"),
or coreference ("our method" is resolved only to the paper's proposed method).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from ..models import Mention, Paper, Relation
from .candidates import proposal_targets
from .normalize import word_forms

__all__ = ["extract_relations"]

_EVAL_CUES = word_forms(
    *"experiment experimental evaluate evaluation result benchmark test outperform achieve surpass attain "
    "demonstrate validate report accuracy score".split()
)
_COMPARE_STEMS = ("outperform", "surpass", "beats", "beating", "exceed")
_COMPARE_WORDS = word_forms("compare")
_FIRST_PERSON = frozenset({"we", "our", "ours", "proposed"})
_USE_WORDS = word_forms("use", "employ", "leverage", "adopt", "incorporate", "utilize", "exploit")


def _sentence_mentions(doc: Doc, mentions: Sequence[Mention], field: str) -> list[tuple[Span, list[Mention]]]:
    out = []
    for sent in doc.sents:
        inside = [m for m in mentions if m.field == field and sent.start_char <= m.start < sent.end_char]
        out.append((sent, inside))
    return out


def _rel(subject: str, predicate: str, obj: str, field: str, sent: Span) -> Relation:
    return Relation(subject, predicate, obj, field, sent.start_char, sent.end_char)


def extract_relations(
    paper: Paper,
    docs: dict[str, Doc],
    mentions: Sequence[Mention],
    variant_links: Sequence[tuple[str, str, str, int, int]],
    lexicon,
) -> list[Relation]:
    """All relations of one paper, deduplicated, in a stable order."""
    rels: list[Relation] = []
    proposed = _proposed(paper, docs, mentions, rels)
    for field, doc in docs.items():
        for sent, ms in _sentence_mentions(doc, mentions, field):
            if not ms:
                continue
            words = {t.lower_ for t in sent}
            methods = [m for m in ms if m.type == "Method"]
            datasets = [m for m in ms if m.type == "Dataset"]
            tasks = [m for m in ms if m.type == "Task"]
            compare_at = _compare_position(sent)
            # evaluatedOn
            if datasets and (words & _EVAL_CUES or field == "title"):
                ours = [m for m in mentions if m.key in proposed and m.type == "Method"][:1]
                if ours and (words & _FIRST_PERSON or any(m.key in proposed for m in methods)):
                    subjects = ours  # "we evaluate on X", "our model achieves … on X"
                else:
                    subjects = [m for m in methods if (compare_at is None or m.start < compare_at)
                                and m.start < max(d.start for d in datasets)] or ours
                for s in subjects:
                    for d in datasets:
                        rels.append(_rel(s.key, "evaluatedOn", d.key, field, sent))
            # usedFor: "X for Y"
            fors = [t.idx for t in sent if t.lower_ == "for"]
            for f in fors:
                before = [m for m in methods if m.end <= f]
                after = [m for m in tasks if m.start > f]
                if before and after:
                    for t in after:
                        rels.append(_rel(before[-1].key, "usedFor", t.key, field, sent))
            # comparedWith
            if compare_at is not None:
                subs = [m for m in methods if m.end <= compare_at] or [
                    m for m in mentions if m.key in proposed and m.type == "Method"
                ][:1]
                objs = [m for m in methods if m.start > compare_at]
                for s in subs:
                    for o in objs:
                        if o.key != s.key:
                            rels.append(_rel(s.key, "comparedWith", o.key, field, sent))
            # uses: "X uses / employs / leverages Y" (X: the sentence's method, else the proposed one)
            use_at = next((t.idx + len(t) for t in sent if t.lower_ in _USE_WORDS and t.pos_ == "VERB"), None)
            if use_at is not None:
                subs = [m for m in methods if m.end <= use_at][-1:] or (
                    [m for m in mentions if m.key in proposed and m.type == "Method"][:1]
                    if any(t.lower_ == "we" and t.idx < use_at for t in sent) else []
                )
                objs = [m for m in ms if m.start >= use_at and m.type in {"Method", "Concept"}][:3]
                for s_ in subs:
                    for o in objs:
                        rels.append(_rel(s_.key, "uses", o.key, field, sent))
            # isA: Hearst "X such as Y, Z" and "X including Y"
            rels.extend(_hearst(doc, sent, ms, field))
    # what a paper proposes is for the tasks its title or its proposal sentence names
    proposal_spans = [(r.field, r.start, r.end) for r in rels if r.predicate == "proposes"]
    proposed_methods = [m for m in mentions if m.key in proposed and m.type == "Method"]
    for m in {m.key: m for m in proposed_methods}.values():
        for t in mentions:
            if t.type == "Task" and (t.field == "title" or any(
                f == t.field and a <= t.start < b for f, a, b in proposal_spans
            )):
                title_or_sentence = next(((f, a, b) for f, a, b in proposal_spans if f == t.field and a <= t.start < b),
                                         ("title", 0, len(paper.title)))
                rels.append(Relation(m.key, "usedFor", t.key, *title_or_sentence))
    for child, parent, field, start, end in variant_links:
        if child != parent:
            rels.append(Relation(child, "isA", parent, field, start, end))
    seen = set()
    out = []
    for r in rels:
        k = (r.subject, r.predicate, r.object)
        if r.subject != r.object and k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _compare_position(sent: Span) -> int | None:
    """Character offset of a comparison cue ("outperforms", "compared with"), if any."""
    for tok in sent:
        if tok.lower_.startswith(_COMPARE_STEMS) and not tok.lower_.endswith("ance"):
            return tok.idx + len(tok)
        if tok.lower_ in _COMPARE_WORDS and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in {"with", "to", "against"}:
            return tok.idx + len(tok)
    return None


def _hearst(doc: Doc, sent: Span, ms: list[Mention], field: str) -> list[Relation]:
    out = []
    for tok in sent:
        if tok.lower_ == "such" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "as":
            cue_start, cue_end = tok.idx, doc[tok.i + 1].idx + 2
        elif tok.lower_ in {"including", "e.g."}:
            cue_start, cue_end = tok.idx, tok.idx + len(tok)
        else:
            continue
        hyper = [m for m in ms if m.end <= cue_start and cue_start - m.end <= 3]
        if not hyper:
            continue
        h = hyper[-1]
        for m in ms:
            if m.start >= cue_end and m.type == h.type and m.key != h.key:
                between = doc.text[cue_end : m.start]
                if any(p in between for p in (".", ";", "(")):
                    break
                out.append(_rel(m.key, "isA", h.key, field, sent))
    return out


def _proposed(paper: Paper, docs: dict[str, Doc], mentions: Sequence[Mention], rels: list[Relation]) -> set[str]:
    """Keys of what the paper proposes; appends ``proposes`` relations to ``rels``."""
    keys: dict[str, Relation] = {}
    for field, doc in docs.items():
        for span, sent in proposal_targets(doc):
            for m in mentions:
                if m.field == field and m.start < span.end_char and m.end > span.start_char and m.type == "Method":
                    keys.setdefault(m.key, Relation(paper.id, "proposes", m.key, field, sent.start_char, sent.end_char))
            # "we propose a novel framework, X (ABBR)": the abbreviation-defined name in that sentence
            if not keys:
                for m in mentions:
                    if (m.field == field and m.origin == "abbreviation" and m.type == "Method"
                            and sent.start_char <= m.start < sent.end_char and m.start >= span.start_char):
                        keys.setdefault(m.key, Relation(paper.id, "proposes", m.key, field, sent.start_char, sent.end_char))
                        break
    title = docs.get("title")
    if title is not None and ":" in title.text:
        colon = title.text.index(":")
        for m in mentions:
            if m.field == "title" and m.end <= colon and m.origin != "lexicon" and m.type == "Method":
                keys.setdefault(m.key, Relation(paper.id, "proposes", m.key, "title", 0, len(title.text)))
    rels.extend(keys.values())
    return set(keys)
