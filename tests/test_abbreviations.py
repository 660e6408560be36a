from paperkg.nlp.abbreviations import best_long_form, find_abbreviations, is_short_form, singular_short_form
from paperkg.nlp.tokens import merge_hyphenated


def _abbrs(nlp, text):
    return [(a.short, a.long) for a in find_abbreviations(merge_hyphenated(nlp(text)))]


def test_find_abbreviations_pairs_long_and_short_form(nlp):
    # the textbook case
    assert _abbrs(nlp, "We train a variational autoencoder (VAE) on images.") == [("VAE", "variational autoencoder")]


def test_find_abbreviations_singularises_plural_short_forms(nlp):
    # "(DPMs)" defines "DPM"; the long form keeps its plural as written
    assert _abbrs(nlp, "Diffusion probabilistic models (DPMs) are popular.") == [("DPM", "Diffusion probabilistic models")]


def test_find_abbreviations_hyphenated_short_form(nlp):
    # a coined hyphenated name: letters may skip inner words
    text = "We propose Variational Subgoal-Conditioned RL (VSC-RL) for agents."
    assert _abbrs(nlp, text) == [("VSC-RL", "Variational Subgoal-Conditioned RL")]


def test_find_abbreviations_ignores_non_abbreviation_parentheses(nlp):
    # numbers, citations and lower-case remarks are not short forms
    assert _abbrs(nlp, "The error drops (by 35%) and accuracy rises (see below).") == []


def test_find_abbreviations_reversed_short_then_long_form(nlp):
    # "SHORT (long form)" when the whole bracket spells it out; a citation does not
    text = "The KDS (Knowledge Delivery System) uses BERT (Devlin et al., 2019) and SGD (stochastic gradient descent)."
    assert _abbrs(nlp, text) == [("KDS", "Knowledge Delivery System"), ("SGD", "stochastic gradient descent")]
    ab = find_abbreviations(nlp(text))[0]
    assert text[ab.short_start : ab.short_end] == "KDS" and text[ab.long_start : ab.long_end] == "Knowledge Delivery System"


def test_find_abbreviations_offsets_point_into_the_text(nlp):
    text = "A generative adversarial network (GAN) is trained."
    (a,) = find_abbreviations(merge_hyphenated(nlp(text)))
    assert text[a.long_start : a.long_end] == "generative adversarial network"
    assert text[a.short_start : a.short_end] == "GAN"


def test_best_long_form_requires_first_letter_at_word_start():
    # "C" of "CL" must start a word: "contrastive learning", not "...c learning"
    assert best_long_form("CL", "self-supervised contrastive learning") == "contrastive learning"


def test_is_short_form_rejects_long_or_lowercase_text():
    assert not is_short_form("a very long remark")
    assert not is_short_form("see")
    assert is_short_form("MoE")


def test_singular_short_form_keeps_acronyms_ending_in_s():
    assert singular_short_form("VAEs") == "VAE"
    assert singular_short_form("SS") == "SS"
