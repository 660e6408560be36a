"""Abbreviation pairing after Schwartz & Hearst (2003).

A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing 2003.

``long form (SHORT)`` definitions are found in a parsed ``Doc``: the short form is the
text in parentheses (2–10 characters, at most two words, starting with a letter or digit
and containing an upper-case letter), the long form the shortest run of preceding words
in which the short form's characters appear in order, the first at a word start.
ML plurals are handled: "(VAEs)" defines "VAE".

Reversed definitions ``SHORT (long form)`` ("KDS (Knowledge Delivery System)") are found
too, when the whole bracket spells the short form out. What this does not do: definitions
across sentences, or abbreviations defined without parentheses.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

__all__ = ["Abbreviation", "best_long_form", "find_abbreviations", "is_short_form", "singular_short_form"]

_OPEN, _CLOSE = "([", ")]"


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One definition: ``long`` (char span ``long_start:long_end``) defines ``short``."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def singular_short_form(short: str) -> str:
    """Strip an ML plural "s" from an acronym: ``"VAEs"`` → ``"VAE"``.

    >>> singular_short_form("DPMs"), singular_short_form("FedLens"), singular_short_form("SSL")
    ('DPM', 'FedLens', 'SSL')
    """
    if len(short) > 2 and short.endswith("s") and short[-2].isupper():
        return short[:-1]
    return short


def is_short_form(text: str) -> bool:
    """Whether ``text`` can be an abbreviation (Schwartz & Hearst's conditions, ML flavour).

    >>> is_short_form("VAE"), is_short_form("CDCD"), is_short_form("e.g."), is_short_form("see below")
    (True, True, False, False)
    """
    if not 2 <= len(text) <= 10 or len(text.split()) > 2:
        return False
    if not text[0].isalnum() or not any(c.isupper() for c in text):
        return False
    return sum(c.isalpha() for c in text) >= 2 and not text.isdigit()


def best_long_form(short: str, long: str) -> str | None:
    """Return the shortest suffix of ``long`` that the characters of ``short`` spell out.

    The Schwartz & Hearst matching: scan both strings right to left; every letter or
    digit of the short form must occur in order, and its first character must start a
    word of the long form.

    >>> best_long_form("VAE", "we train a variational autoencoder")
    'variational autoencoder'
    >>> best_long_form("CDCD", "a Conditional Discrete Contrastive Diffusion")
    'Conditional Discrete Contrastive Diffusion'
    >>> best_long_form("XYZ", "something else") is None
    True
    """
    s_idx, l_idx = len(short) - 1, len(long) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            long[l_idx].lower() != c or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    result = long[start:]
    if len(result) <= len(short):
        return None
    return result


def _short_form_span(doc: Doc, open_i: int) -> Span | None:
    """The tokens inside the bracket opened at ``open_i``, up to a ``,``/``;`` or the close."""
    for j in range(open_i + 1, min(open_i + 6, len(doc))):
        if doc[j].text in _CLOSE or doc[j].text in {",", ";"}:
            if j == open_i + 1:
                return None
            if doc[j].text in {",", ";"} and not any(doc[k].text in _CLOSE for k in range(j, min(j + 8, len(doc)))):
                return None
            return doc[open_i + 1 : j]
    return None


def find_abbreviations(doc: Doc) -> list[Abbreviation]:
    """Find every ``long form (SHORT)`` definition in ``doc``.

    Returns
    -------
    list of Abbreviation
        In document order; ``short`` is singularised ("VAEs" → "VAE"), offsets are
        character offsets into ``doc.text``.
    """
    found: list[Abbreviation] = []
    for tok in doc:
        if tok.text not in _OPEN or tok.i == 0:
            continue
        sf_span = _short_form_span(doc, tok.i)
        if sf_span is None:
            continue
        short_text = sf_span.text
        if not is_short_form(short_text):
            continue
        short = singular_short_form(short_text)
        sent_start = tok.sent.start if doc.has_annotation("SENT_START") else 0
        n_words = min(len(short) + 5, len(short) * 2)
        window_start = max(sent_start, tok.i - n_words)
        # stop the window at a previous bracket or colon/semicolon
        for k in range(tok.i - 1, window_start - 1, -1):
            if doc[k].text in _OPEN + _CLOSE + ";:":
                window_start = k + 1
                break
        if window_start >= tok.i:
            continue
        window = doc[window_start : tok.i]
        long = best_long_form(short, window.text)
        if long is None:
            continue
        long_start = window.end_char - len(long)
        span = doc.char_span(long_start, window.end_char, alignment_mode="expand")
        if span is None:
            continue
        # drop leading determiners/pronouns the matching may include
        while len(span) > 1 and span[0].pos_ in {"DET", "PRON", "ADP", "CCONJ"}:
            span = span[1:]
        if span[-1].is_punct or span.text.lower() == short.lower():
            continue
        found.append(
            Abbreviation(short, span.text, sf_span.start_char, sf_span.end_char, span.start_char, span.end_char)
        )
    found += _reversed_definitions(doc, {ab.short_start for ab in found})
    return sorted(found, key=lambda ab: ab.short_start)


def _reversed_definitions(doc: Doc, defined_in: set[int]) -> list[Abbreviation]:
    """``SHORT (long form)``: the word before a bracket is an acronym-like short form (two
    or more capitals) and the whole bracket, all words, spells it out ("KDS (Knowledge
    Delivery System)"); a citation or a gloss that merely starts with the right letter
    ("BERT (Devlin et al.)") does not. ``defined_in``: starts of brackets that already
    hold a short form."""
    out = []
    for tok in doc:
        if tok.text not in _OPEN or tok.i == 0 or tok.i + 2 >= len(doc) or doc[tok.i + 1].idx in defined_in:
            continue
        short_tok = doc[tok.i - 1]
        short = singular_short_form(short_tok.text)
        if not is_short_form(short_tok.text) or sum(c.isupper() for c in short) < 2:
            continue
        close = next((j for j in range(tok.i + 2, min(tok.i + 2 + 2 * len(short), len(doc))) if doc[j].text in _CLOSE), None)
        if close is None:
            continue
        inner = doc[tok.i + 1 : close]
        while len(inner) > 1 and inner[0].pos_ in {"DET", "PRON"}:
            inner = inner[1:]
        words = [t for t in inner if not t.is_punct]
        if len(words) < 2 or any(t.like_num or t.text in {",", ";"} for t in inner):
            continue
        if best_long_form(short, inner.text) != inner.text:
            continue
        out.append(Abbreviation(short, inner.text, short_tok.idx, short_tok.idx + len(short_tok.text),
                                inner.start_char, inner.end_char))
    return out
