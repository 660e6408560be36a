"""Extraction on tiny inline abstracts with the real English pipeline and lexicon."""

from paperkg.extract import sentence_case
from paperkg.models import Paper


def _extract(extractor, abstract, title="A study"):
    ex = extractor.extract_paper(Paper(id="p1", title=title, abstract=abstract))
    return ex, {(m.text, m.type) for m in ex.mentions}


def test_extract_links_acronym_to_long_form(extractor):
    # a later bare "VAE" joins the defined long form
    ex, found = _extract(extractor, "We train a variational autoencoder (VAE) on faces. The VAE is fast.")
    keys = {m.key for m in ex.mentions if m.text in {"VAE", "variational autoencoder"}}
    assert keys == {"variational autoencoder"}
    assert ("VAE", "Method") in found


def test_extract_dataset_list_after_experiments_on(extractor):
    # unknown names in an evaluation list are datasets
    _, found = _extract(extractor, "Experiments on ZorbNet-7, CIFAR-10 and the KITTI dataset show gains.")
    assert {("CIFAR-10", "Dataset"), ("KITTI", "Dataset"), ("ZorbNet-7", "Dataset")} <= found


def test_quantities_with_units_are_not_coined_names(extractor):
    # "400GB" and "3GHz" look like letter+digit names but are amounts; real names stay
    _, found = _extract(extractor, "Experiments on COCO2017 and ZorbNet-7 ran with 400GB of disk at 3GHz, "
                                   "using 1.5B tokens at 60fps.")
    texts = {t for t, _ in found}
    assert {"COCO2017", "ZorbNet-7"} <= texts
    assert texts.isdisjoint({"400GB", "3GHz", "1.5B", "60fps"})


def test_no_name_starts_inside_a_hyphenated_word(extractor):
    # "grained sketch-based image retrieval" is a fragment of "fine-grained ..."
    _, found = _extract(extractor, "We study fine-grained sketch-based image retrieval and coarse-grained "
                                   "multi-scale feature learning.")
    assert not any(t.startswith(("grained", "scale")) for t, _ in found)


def test_words_that_only_look_plural_keep_their_form(extractor):
    # "series" is not the plural of "sery": the node is "time series", a variant keeps its name
    ex, found = _extract(extractor, "We model multivariate time series and time-series data.")
    assert {m.key for m in ex.mentions} >= {"multivariate time series", "time series"}
    assert not any("sery" in m.key for m in ex.mentions)


def test_extract_proposed_acronym_is_a_method_and_proposed(extractor):
    # "we propose X (ABBR)": the coined name is a Method the paper proposes
    ex, found = _extract(extractor, "We propose Graph Contrastive Reweighting (GCRW), a simple method for node classification.")
    assert ("GCRW", "Method") in found
    proposes = [r for r in ex.relations if r.predicate == "proposes"]
    assert proposes and proposes[0].subject == "p1"


def test_extract_strips_determiners_and_evaluative_adjectives(extractor):
    # "a novel hierarchical latent diffusion model" → the name without "a novel"
    _, found = _extract(extractor, "We build a novel latent diffusion model for image synthesis.")
    texts = {t for t, _ in found}
    assert "latent diffusion model" in texts
    assert not any(t.startswith(("a ", "novel")) for t in texts)


def test_extract_drops_comparative_and_resulting_modifiers(extractor):
    # "the resulting algorithm" and "greater accuracy" name nothing new beyond accuracy
    _, found = _extract(extractor, "The resulting algorithm reaches greater accuracy than comparable methods.")
    assert found == {("accuracy", "Metric")}


def test_strip_span_drops_a_leading_finite_verb(extractor):
    # a mis-chunked verb ("to supplement Web search engines") never begins a name
    from paperkg.nlp.candidates import strip_span

    doc = extractor.nlp("We use them to supplement Web search engines.")
    assert doc[4].tag_ == "VB"
    assert strip_span(doc[4:8]).text == "Web search engines"


def test_extract_drops_generic_phrases(extractor):
    # generic words are never entities
    _, found = _extract(extractor, "Our approach improves the performance of the proposed framework in extensive experiments.")
    assert found == set()


def test_extract_types_unknown_phrases_by_head(extractor):
    _, found = _extract(extractor, "The method targets protein backbone generation and uses a graph transformer.")
    assert ("protein backbone generation", "Task") in found


def test_extract_variant_stays_separate_with_isa(extractor):
    # "Koopman VAE" is not "VAE": separate mention, isA link to the variational autoencoder
    ex, found = _extract(extractor, "We introduce the Koopman VAE for sequences. Unlike a plain VAE, it is linear.")
    assert ("Koopman VAE", "Method") in found
    isa = {(r.subject, r.object) for r in ex.relations if r.predicate == "isA"}
    assert ("Koopman VAE", "variational autoencoder") in isa


def test_extract_evaluated_on_and_compared_with(extractor):
    ex, _ = _extract(
        extractor,
        "We propose FlowNix, a normalizing flow. FlowNix outperforms Glow on CIFAR-10 and ImageNet.",
    )
    rels = {(r.subject, r.predicate, r.object) for r in ex.relations}
    assert ("FlowNix", "evaluatedOn", "CIFAR-10") in rels
    assert ("FlowNix", "comparedWith", "Glow") in rels


def test_extract_offsets_point_into_the_field_text(extractor):
    paper = Paper(id="p2", title="Contrastive Learning for Graphs", abstract="We study contrastive learning (CL) on Cora.")
    ex = extractor.extract_paper(paper)
    assert ex.mentions
    for m in ex.mentions:
        assert paper.text(m.field)[m.start : m.end] == m.text


def test_extract_is_deterministic(extractor):
    paper = Paper(id="p3", title="A", abstract="We evaluate SimCLR and MoCo on ImageNet with linear probing accuracy.")
    assert extractor.extract_paper(paper) == extractor.extract_paper(paper)


def test_extract_hostile_text_is_plain_data(extractor):
    # markup in an abstract is just text: nothing breaks, offsets still hold
    text = 'We test <script>alert(1)</script> a VAE on "CIFAR-10" <img src=x onerror=alert(1)>.'
    paper = Paper(id="x", title="<b>t</b>", abstract=text)
    ex = extractor.extract_paper(paper)
    assert {m.text for m in ex.mentions} >= {"VAE", "CIFAR-10"}


def test_sentence_case_keeps_offsets_and_acronyms():
    title = "Robust Outlier Rejection for 3D Registration with VAEs"
    assert len(sentence_case(title)) == len(title)
    assert sentence_case(title).endswith("with VAEs")
