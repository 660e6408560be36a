"""Shared fixtures: the real English pipeline, the real lexicon, a sample build."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_CORPUS = SHARED / "corpus" / "hf-daily-papers-variational.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    """The real en_core_web_sm pipeline (a declared dependency: missing → the test fails)."""
    from paperkg.nlp.pipeline import load_english

    return load_english()


@pytest.fixture(scope="session")
def extractor(nlp):
    from paperkg.extract import Extractor

    return Extractor(nlp)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory, extractor):
    """``paperkg build`` of the embedded sample corpus into a temporary directory."""
    from paperkg.build import run_build

    out = tmp_path_factory.mktemp("sample-output")
    return run_build(out_dir=out, extractor=extractor)


@pytest.fixture(scope="session")
def sample_store(sample_build, tmp_path_factory) -> Path:
    """An Oxigraph store directory holding the sample build's Turtle (read-only use)."""
    from paperkg.store import write_store

    directory = tmp_path_factory.mktemp("sample-store") / "store"
    write_store([sample_build.files["ttl"]], directory)
    return directory


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.exists():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS
