"""Word lists that decide what is (not) an entity and how an unknown name is typed.

Pure data, kept apart from the code that uses it. All entries are lower-case lemmas
unless said otherwise.
"""

from __future__ import annotations

__all__ = [
    "GENERIC_HEADS",
    "HARD_GENERIC_HEADS",
    "GENERIC_MODIFIERS",
    "VAGUE_MODIFIERS",
    "GENERIC_PHRASES",
    "STRIP_MODIFIERS",
    "HEAD_TYPES",
    "NAMED_HEAD_TYPES",
    "ACRONYM_SUFFIX_TYPES",
    "UNMERGED_SUFFIXES",
    "DATASET_CUE_NOUNS",
    "DATA_HEAD_NOUNS",
]

#: Head nouns that never make an entity on their own ("a novel framework").
GENERIC_HEADS: frozenset[str] = frozenset(
    """
    approach method model framework network technique system scheme strategy paradigm result
    performance data baseline task problem work paper study experiment analysis way setting solution
    issue challenge module component mechanism process architecture procedure benchmark dataset
    variant version art sota improvement gain effectiveness efficiency capability ability quality number
    amount set series range type form kind part use application domain field area literature research
    insight idea property aspect knowledge context goal objective evaluation experimentation
    implementation design formulation perspective view limitation advantage drawback contribution
    step stage phase level scale size degree extent factor role impact effect behavior behaviour
    pipeline tool toolkit library code resource scenario case example instance sample output input
    feature representation information signal structure pattern term component element unit item
    point value parameter weight variable metric measure score loss error cost accuracy time
    speed memory computation demand need requirement condition assumption constraint
    technique trick recipe practice principle rule theory notion concept question answer finding
    observation evidence fact reason cause purpose method direction line manner mode means
    we it they this that these those one other lot many several
    """.split()
)

#: The generic heads that never make a term, whatever their modifiers ("our extensive
#: experiments"); the other :data:`GENERIC_HEADS` do with a specific modifier
#: ("reconstruction quality", "Koopman theory", "hard constraints", "active variables").
HARD_GENERIC_HEADS: frozenset[str] = frozenset(
    """
    approach method framework technique paradigm result performance data baseline task problem work
    paper study experiment analysis way setting solution issue challenge variant version art sota
    improvement gain effectiveness capability ability number amount set series range type form kind
    part use application field area literature research insight idea aspect evaluation
    experimentation implementation design perspective view limitation advantage drawback contribution
    step stage phase level degree extent factor role impact effect behavior behaviour tool toolkit
    code resource scenario case example instance item term element unit demand need requirement
    question answer finding observation evidence fact reason cause purpose direction line manner means
    we it they this that these those one other lot many several thing
    """.split()
)

#: Modifiers that leave a phrase generic when they are its only modifiers ("method family").
GENERIC_MODIFIERS: frozenset[str] = frozenset(
    """
    approach method model framework network technique system scheme strategy paradigm result
    performance baseline task problem work paper study experiment analysis way setting solution issue
    challenge version art sota improvement quality number amount set series range type form kind part
    use application literature research aspect step stage thing
    """.split()
)

#: Whole phrases that are never entities, even with a typed head.
GENERIC_PHRASES: frozenset[str] = frozenset(
    """
    state-of-the-art
    deep learning model
    learning method
    learning algorithm
    machine learning model
    neural network model
    loss function
    objective function
    training data
    training set
    test set
    test time
    training time
    training process
    training procedure
    inference time
    downstream task
    real world
    real-world data
    prior work
    prior knowledge
    ground truth
    neural network
    deep neural network
    deep network
    deep model
    machine learning
    artificial intelligence
    deep learning
    hidden layer
    training objective
    optimization objective
    generalization
    likelihood
    deep neural net
    artificial neural network
    """.strip().splitlines()
)

#: Leading modifiers stripped from a candidate name: determiners aside, evaluative and
#: vague adjectives that are not part of a name ("a novel VAE" → "VAE").
STRIP_MODIFIERS: frozenset[str] = frozenset(
    """
    novel new simple efficient effective powerful scalable existing standard conventional traditional
    popular proposed various several different other many more most recent prior previous modern strong
    competitive significant extensive our this these those such high-quality specific unified principled
    flexible lightweight generic first key main overall improved better superior comprehensive challenging
    diverse multiple powerful promising remarkable impressive great excellent good best potential original
    respective corresponding underlying typical common widely-used well-known so-called same entire whole
    additional further separate individual certain particular current classic classical vanilla naive
    standard state-of-the-art sota practical theoretical fundamental general elegant straightforward
    sophisticated advanced emerging successful prominent popular prevalent dominant existing available
    large-scale small-scale real-world extensive rigorous thorough careful intuitive interpretable
    crucial critical important essential significant substantial considerable notable noticeable
    two three four five both each every all any some few its their his her whose which what
    own difficult faithful photorealistic modular fast slow cheap expensive accurate inaccurate
    high low higher better worse strong weak stronger weaker limited unknown large small
    larger smaller huge massive tiny real desired desirable appropriate suitable reasonable
    robust online unbiased deep multi-step visual log plain resulting right greater comparable well-established
    """.split()
)

#: Head lemma → type for candidate noun phrases that are not in the lexicon.
HEAD_TYPES: dict[str, str] = {
    **dict.fromkeys(
        """
        autoencoder auto-encoder encoder decoder transformer algorithm optimizer optimiser regularizer
        regulariser estimator sampler classifier regressor autoregressor architecture net gan vae
        learning inference attention distillation augmentation normalization normalisation pruning
        quantization quantisation descent sampling regression kernel machine forest tree flow
        embedding tokenizer tokeniser backbone policy critic agent programming optimization
        optimisation search filter perceptron rnn lstm gru cnn mlp bert lora adapter
        """.split(),
        "Method",
    ),
    **dict.fromkeys(
        """
        generation detection segmentation classification recognition translation synthesis retrieval
        registration prediction forecasting completion reconstruction denoising estimation adaptation
        generalization generalisation localization localisation tracking captioning answering
        summarization summarisation parsing tagging editing inpainting super-resolution restoration
        compression planning navigation manipulation unlearning imputation discovery modeling modelling
        understanding reasoning labeling labelling extraction rejection alignment verification
        identification clustering ranking recommendation forecast transfer
        """.split(),
        "Task",
    ),
    **dict.fromkeys(
        """
        accuracy precision recall perplexity auc auroc bleu rouge psnr ssim fid diversity fidelity
        """.split(),
        "Metric",
    ),
    **dict.fromkeys(
        """
        divergence bound collapse entropy theorem equation forgetting overfitting underfitting
        equivariance dilemma paradox theory principle mechanics
        """.split(),
        "Concept",
    ),
}

#: Heads that make a typed entity only with a specific modifier ("diffusion model",
#: "Inception Score", "word error rate", "partition function"); alone they are generic.
NAMED_HEAD_TYPES: dict[str, str] = {
    "model": "Method",
    "network": "Method",
    "loss": "Method",
    "mechanism": "Method",
    "module": "Method",
    "layer": "Method",
    "score": "Metric",
    "rate": "Metric",
    "error": "Metric",
    "distance": "Metric",
}

#: Modifiers that do not make a named-head phrase specific ("deep model", "vision model").
VAGUE_MODIFIERS: frozenset[str] = frozenset(
    """
    deep neural pre-trained pretrained trained base learned underlying performant final resulting complex
    simple black-box baseline downstream machine learning environment agent teacher student vision
    """.split()
)

#: Suffixes of acronym-style names that give away the type ("PV-RNN", "VSC-RL").
ACRONYM_SUFFIX_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ["RL", "RNN", "GAN", "VAE", "NET", "NN", "CNN", "GNN", "GCN", "LSTM", "BERT", "GPT", "MLP", "ELBO"],
        "Method",
    ),
}
ACRONYM_SUFFIX_TYPES["ELBO"] = "Concept"

#: Second parts that keep a hyphenated word split: "VAE-based" stays "VAE" "-" "based",
#: so the name inside is still found.
UNMERGED_SUFFIXES: frozenset[str] = frozenset(
    """
    based driven like style guided conditioned conditional aware free level wise specific agnostic
    dependent independent invariant scale grained oriented centric enhanced augmented inspired
    informed regularized regularised induced powered assisted
    """.split()
)

#: Nouns that, after a name, mark it as a dataset ("the KITTI dataset").
DATASET_CUE_NOUNS: frozenset[str] = frozenset(
    "dataset datasets benchmark benchmarks corpus corpora suite environment environments split".split()
)

#: Head nouns of phrases that describe a body of data ("news articles", "image data",
#: "Korean newspaper articles"): the recognizer's Material spans with such a head are
#: datasets in the broad sense. Chosen from SciERC's *training* split, where they head
#: most Material spans.
DATA_HEAD_NOUNS: frozenset[str] = frozenset(
    """
    data corpus corpora treebank text texts speech image images video videos sentence sentences
    utterance utterances dictionary dictionaries lexicon database databases document documents
    article articles abstract abstracts transcript transcripts transcription transcriptions
    recording recordings lyrics subtitles message messages blog blogs tweet tweets review reviews
    caption captions collection collections archive archives encyclopedia thesaurus wordnet
    dialogue dialogues dialog dialogs example examples sequence sequences signal signals
    """.split()
)

