"""Hand-made graphs that follow the networkx graph contract, for tests of the exporters,
queries and analysis functions.

``tiny_graph()`` holds four papers and nine entities of all five types. One paper is
hostile: its id, title, abstract and author contain markup, quotes, ``>``, a SPARQL
injection attempt, a newline and a non-ASCII character, so every exporter can prove that
user text stays text. Offsets are computed from the texts, so they are always right.

Summary of the relations (support = number of papers; GAN = generative-adversarial-network,
VAE = variational-autoencoder)::

    VAE              evaluatedOn   cifar-10, celeba     1   (P1)
    VAE              comparedWith  GAN                  2   (P1, EVIL)
    VAE              usedFor       image-generation     1   (P1)
    VAE              uses          elbo                 1   (P1)
    beta-vae         isA           VAE                  1   (P2)
    beta-vae         evaluatedOn   celeba, cifar-10     1   (P2)
    beta-vae         usedFor       image-generation     1   (P2)
    GAN              evaluatedOn   cifar-10             1   (EVIL)
    diffusion-model  evaluatedOn   cifar-10             1   (P4)
    diffusion-model  comparedWith  GAN                  1   (P4)
    diffusion-model  usedFor       image-generation     1   (P4)
    P1 proposes VAE; P2 proposes beta-vae

Entities: VAE and GAN, beta-vae ("β-VAE"), diffusion-model (Method); cifar-10, celeba
(Dataset); image-generation (Task); fid (Metric); elbo (Concept).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["tiny_graph", "P1", "P2", "EVIL", "P4", "EVIL_ID", "EVIL_TITLE", "EVIL_ABSTRACT", "EVIL_AUTHOR"]

VERSION = "0.1.0"

EVIL_ID = 'x> <y "} DROP ALL ; # <script>alert(1)</script>'
EVIL_TITLE = '<script>alert(1)</script> "GANs" > VAEs'
EVIL_ABSTRACT = (
    "Generative adversarial networks (GANs) are compared with VAEs on CIFAR-10.\n"
    'x" } DROP ALL ; # β <img src=x onerror=alert(1)>'
)
EVIL_AUTHOR = 'Robert"); DROP TABLE authors;--'

#: Paper records: node attributes of the four paper nodes.
P1 = {
    "id": "2301.00001",
    "title": "Variational Autoencoders for Image Generation",
    "abstract": (
        "We propose a variational autoencoder (VAE) that tightens the ELBO. "
        "The VAE is evaluated on CIFAR-10 and CelebA, where it improves FID over GANs."
    ),
    "year": 2023,
    "date": "2023-01-02",
    "authors": ["Ada Lovelace", "Alan Turing"],
    "url": "https://arxiv.org/abs/2301.00001",
    "categories": ["cs.LG", "stat.ML"],
    "source": "tiny.jsonl:1",
}
P2 = {
    "id": "10.1000/xyz-123",
    "title": "β-VAE: Disentangled Image Generation",
    "abstract": "β-VAE is a variant of the VAE. We evaluate β-VAE on CelebA and CIFAR-10 using FID.",
    "year": 2022,
    "date": None,
    "authors": ["Grace Hopper"],
    "url": "ftp://example.org/paper.pdf",  # not http(s): not exported
    "categories": ["cs.CV"],
    "source": "tiny.jsonl:2",
}
EVIL = {
    "id": EVIL_ID,
    "title": EVIL_TITLE,
    "abstract": EVIL_ABSTRACT,
    "year": None,
    "date": None,
    "authors": [EVIL_AUTHOR],
    "url": "javascript:alert(1)",  # not http(s): not exported
    "categories": ["cs.LG"],
    "source": "tiny.jsonl:3",
}
P4 = {
    "id": "2401.00004",
    "title": "Diffusion Models Beat GANs on Image Generation",
    "abstract": "We show that a diffusion model achieves a better FID than GANs on CIFAR-10.",
    "year": 2024,
    "date": "2024-01-05",
    "authors": ["Katherine Johnson"],
    "url": "http://example.org/2401.00004",
    "categories": ["cs.LG"],
    "source": "tiny.jsonl:4",
}

#: Entities: slug -> (label, type, aliases).
ENTITIES = {
    "variational-autoencoder": ("variational autoencoder", "Method", ["VAE", "VAEs"]),
    "generative-adversarial-network": (
        "generative adversarial network",
        "Method",
        ["GAN", "GANs", "Generative adversarial networks"],
    ),
    "beta-vae": ("β-VAE", "Method", []),
    "diffusion-model": ("diffusion model", "Method", ["Diffusion Models"]),
    "cifar-10": ("CIFAR-10", "Dataset", []),
    "celeba": ("CelebA", "Dataset", []),
    "image-generation": ("image generation", "Task", ["Image Generation"]),
    "fid": ("FID", "Metric", []),
    "elbo": ("ELBO", "Concept", []),
}

#: Mentions: (paper, entity slug, field, surface text, occurrence index of the text in the field).
MENTIONS = [
    (P1, "variational-autoencoder", "title", "Variational Autoencoders", 0),
    (P1, "image-generation", "title", "Image Generation", 0),
    (P1, "variational-autoencoder", "abstract", "variational autoencoder", 0),
    (P1, "variational-autoencoder", "abstract", "VAE", 0),
    (P1, "elbo", "abstract", "ELBO", 0),
    (P1, "variational-autoencoder", "abstract", "VAE", 1),
    (P1, "cifar-10", "abstract", "CIFAR-10", 0),
    (P1, "celeba", "abstract", "CelebA", 0),
    (P1, "fid", "abstract", "FID", 0),
    (P1, "generative-adversarial-network", "abstract", "GANs", 0),
    (P2, "beta-vae", "title", "β-VAE", 0),
    (P2, "image-generation", "title", "Image Generation", 0),
    (P2, "beta-vae", "abstract", "β-VAE", 0),
    (P2, "variational-autoencoder", "abstract", "VAE.", 0),
    (P2, "beta-vae", "abstract", "β-VAE", 1),
    (P2, "celeba", "abstract", "CelebA", 0),
    (P2, "cifar-10", "abstract", "CIFAR-10", 0),
    (P2, "fid", "abstract", "FID", 0),
    (EVIL, "generative-adversarial-network", "title", "GANs", 0),
    (EVIL, "variational-autoencoder", "title", "VAEs", 0),
    (EVIL, "generative-adversarial-network", "abstract", "Generative adversarial networks", 0),
    (EVIL, "generative-adversarial-network", "abstract", "GANs", 0),
    (EVIL, "variational-autoencoder", "abstract", "VAEs", 0),
    (EVIL, "cifar-10", "abstract", "CIFAR-10", 0),
    (P4, "diffusion-model", "title", "Diffusion Models", 0),
    (P4, "generative-adversarial-network", "title", "GANs", 0),
    (P4, "image-generation", "title", "Image Generation", 0),
    (P4, "diffusion-model", "abstract", "diffusion model", 0),
    (P4, "fid", "abstract", "FID", 0),
    (P4, "generative-adversarial-network", "abstract", "GANs", 0),
    (P4, "cifar-10", "abstract", "CIFAR-10", 0),
]

#: Relations: (subject slug or paper, predicate, object slug, paper, field, sentence index).
#: Sentence index 0 of the title is the whole title.
RELATIONS = [
    (P1, "proposes", "variational-autoencoder", P1, "abstract", 0),
    ("variational-autoencoder", "uses", "elbo", P1, "abstract", 0),
    ("variational-autoencoder", "evaluatedOn", "cifar-10", P1, "abstract", 1),
    ("variational-autoencoder", "evaluatedOn", "celeba", P1, "abstract", 1),
    ("variational-autoencoder", "comparedWith", "generative-adversarial-network", P1, "abstract", 1),
    ("variational-autoencoder", "usedFor", "image-generation", P1, "title", 0),
    (P2, "proposes", "beta-vae", P2, "title", 0),
    ("beta-vae", "isA", "variational-autoencoder", P2, "abstract", 0),
    ("beta-vae", "evaluatedOn", "celeba", P2, "abstract", 1),
    ("beta-vae", "evaluatedOn", "cifar-10", P2, "abstract", 1),
    ("beta-vae", "usedFor", "image-generation", P2, "title", 0),
    ("generative-adversarial-network", "evaluatedOn", "cifar-10", EVIL, "abstract", 0),
    ("variational-autoencoder", "comparedWith", "generative-adversarial-network", EVIL, "abstract", 0),
    ("diffusion-model", "evaluatedOn", "cifar-10", P4, "abstract", 0),
    ("diffusion-model", "comparedWith", "generative-adversarial-network", P4, "abstract", 0),
    ("diffusion-model", "usedFor", "image-generation", P4, "title", 0),
]


def _find(text: str, sub: str, nth: int) -> tuple[int, int]:
    """Return (start, end) of the ``nth`` occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def _sentence(paper: dict, field: str, index: int) -> tuple[int, int]:
    """Return the span of sentence ``index`` of a field (sentences end at ". " or "\\n")."""
    text = paper[field]
    if field == "title":
        return 0, len(text)
    bounds, start = [], 0
    for i, char in enumerate(text):
        end_of_sentence = char == "\n" or (char == "." and (i + 1 == len(text) or text[i + 1] == " "))
        if end_of_sentence:
            end = i + 1 if char == "." else i
            bounds.append((start, end))
            start = i + 1
            while start < len(text) and text[start] == " ":
                start += 1
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds[index]


def tiny_graph() -> nx.MultiDiGraph:
    """Build the four-paper, nine-entity test graph (see the module docstring).

    Examples
    --------
    >>> G = tiny_graph()
    >>> G.graph["papers"], sum(1 for _, d in G.nodes(data=True) if d["kind"] == "entity")
    (4, 9)
    """
    G = nx.MultiDiGraph(name="paperkg", paperkg_version=VERSION, papers=4, skipped=0)
    for paper in (P1, P2, EVIL, P4):
        G.add_node(f"paper:{paper['id']}", kind="paper", **paper)

    mention_evidence: dict[tuple[str, str], list[dict]] = {}
    for paper, slug, field, text, nth in MENTIONS:
        start, end = _find(paper[field], text, nth)
        if text.endswith("."):  # "VAE." disambiguates the occurrence; the mention is "VAE"
            end -= 1
        surface = paper[field][start:end]
        key = (f"paper:{paper['id']}", f"entity:{slug}")
        mention_evidence.setdefault(key, []).append({"field": field, "start": start, "end": end, "text": surface})

    papers_of: dict[str, set[str]] = {}
    mentions_of: dict[str, int] = {}
    for (paper_node, entity_node), evidence in mention_evidence.items():
        papers_of.setdefault(entity_node, set()).add(paper_node)
        mentions_of[entity_node] = mentions_of.get(entity_node, 0) + len(evidence)

    for slug, (label, type_, aliases) in ENTITIES.items():
        node = f"entity:{slug}"
        G.add_node(
            node,
            kind="entity",
            id=slug,
            label=label,
            type=type_,
            aliases=sorted(aliases),
            paper_count=len(papers_of[node]),
            mention_count=mentions_of[node],
        )

    for (paper_node, entity_node), evidence in sorted(mention_evidence.items()):
        G.add_edge(paper_node, entity_node, key="mentions", count=len(evidence), evidence=evidence)

    for subject, predicate, obj, paper, field, index in RELATIONS:
        start, end = _sentence(paper, field, index)
        target = f"entity:{obj}"
        if predicate == "proposes":
            source = f"paper:{subject['id']}"
            item = {"field": field, "start": start, "end": end}
        else:
            source = f"entity:{subject}"
            item = {"paper": paper["id"], "field": field, "start": start, "end": end}
        if G.has_edge(source, target, key=predicate):
            data = G.edges[source, target, predicate]
            data["evidence"].append(item)
            data["support"] = len({e.get("paper", paper["id"]) for e in data["evidence"]})
        else:
            G.add_edge(source, target, key=predicate, support=1, evidence=[item])
    return G
