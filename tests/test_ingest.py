"""Tests for paperkg.ingest: one reader per format, detection, errors, streaming, dedupe, accounting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperkg.errors import InputError
from paperkg.ingest import FORMATS, SkipReport, detect_format, normalize_text, read_papers, title_hash_id, title_key
from paperkg.ingest import json_array
from paperkg.ingest.records import parse_authors, parse_year

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "hf-daily-papers-variational.txt"
ABSTRACT = "An abstract long enough to pass the minimum length check."


def _read(path: Path | list[Path], **kwargs) -> tuple[list, SkipReport]:
    skips = SkipReport()
    return list(read_papers(path, skips=skips, **kwargs)), skips


def _lines(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --- one test per format ------------------------------------------------------------


def test_read_papers_jsonl_maps_fields():
    papers, skips = _read(FIXTURES / "papers.jsonl")
    first, second, third = papers
    assert len(skips) == 0
    # hard line break in the abstract collapses to one space
    assert first.abstract.startswith("We route each token") and "\n" not in first.abstract
    assert first.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    assert first.categories == ("cs.LG", "cs.AR") and first.year == 2023
    assert first.source == f"{FIXTURES / 'papers.jsonl'}:1"
    # integer id, "summary" for abstract, year from an ISO timestamp, authors as {"name": ...}
    assert (second.id, second.year, second.date) == ("2", 2022, "2022-11-30")
    assert second.authors == ("Rosalind Franklin", "Linus Pauling")
    assert second.source.endswith(":3")  # the blank line 2 is not a record
    # no id → title hash; a bad year is dropped, not fatal; a javascript: URL is dropped
    assert third.id == title_hash_id(third.title) and third.year is None and third.url is None


def test_read_papers_json_array_skips_non_objects():
    papers, skips = _read(FIXTURES / "papers.json")
    assert [(p.id, p.source.rsplit(":", 1)[1]) for p in papers] == [("arr-1", "2"), ("arr-2", "10")]
    assert papers[0].authors == ("Sofia Kovalevskaya", "Henri Poincare")
    assert papers[1].categories == ("cs.LG", "cs.RO")
    assert [(s.source.rsplit(":", 1)[1], s.reason) for s in skips] == [("9", "not a JSON object (got number)")]


def test_read_papers_json_object_with_papers_list():
    papers, skips = _read(FIXTURES / "papers_wrapped.json")
    assert [p.id for p in papers] == ["w-1", "w-2"] and len(skips) == 0


def test_read_papers_json_array_same_result_with_tiny_chunks(monkeypatch):
    # chunk boundaries inside strings, numbers and between lines must not change anything
    expected, expected_skips = _read(FIXTURES / "papers.json")
    monkeypatch.setattr(json_array, "_CHUNK", 5)
    papers, skips = _read(FIXTURES / "papers.json")
    assert papers == expected and skips.to_list() == expected_skips.to_list()


def test_read_papers_csv_counts_physical_lines():
    papers, skips = _read(FIXTURES / "papers.csv")
    assert [(p.id, p.source.rsplit(":", 1)[1]) for p in papers] == [("csv-1", "2"), ("csv-2", "3"), ("csv-4", "7")]
    assert papers[0].authors == ("Marie Curie", "Pierre Curie") and papers[0].url == "https://example.org/csv-1"
    assert papers[1].abstract == "This abstract spans two physical lines inside one quoted cell, and mentions a comma."
    assert papers[1].year is None  # 1899 is out of range
    assert [(s.source.rsplit(":", 1)[1], s.reason, s.record_id) for s in skips] == [("6", "missing abstract", "csv-3")]


def test_read_papers_arxiv_atom_entries():
    papers, skips = _read(FIXTURES / "arxiv_atom.xml")
    first, second = papers
    assert first.id == "arXiv:2403.99903"
    assert first.title == "Amortised Variational Inference for Sparse Gaussian Processes"
    assert (first.date, first.year, first.url) == ("2024-03-15", 2024, "http://arxiv.org/abs/2403.99903v2")
    assert first.authors == ("Ada Lovelace", "Alan Turing") and first.categories == ("stat.ML", "cs.LG")
    assert first.source.endswith(":10")
    # old-style id; XML entities are decoded by the XML parser, the text is not unescaped further
    assert second.id == "arXiv:cs/9901999" and second.title == "Boosting & Bagging: Two Ensembles Compared"
    assert second.abstract.endswith("<b>only</b>.")
    assert [(s.reason, s.record_id) for s in skips] == [("missing abstract", "arXiv:2403.99904")]


def test_read_papers_arxiv_atom_skips_api_error_entry(tmp_path):
    feed = tmp_path / "error.xml"
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id</id>'
        "<title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>"
    )
    papers, skips = _read(feed)
    assert papers == [] and [s.reason for s in skips] == ["arXiv API error: incorrect id format for 1234"]


def test_read_papers_arxiv_snapshot_maps_arxiv_keys():
    papers, skips = _read(FIXTURES / "arxiv_snapshot.jsonl")
    first, second = papers
    assert first.id == "arXiv:2403.99901" and first.url == "https://arxiv.org/abs/2403.99901"
    assert first.title == "Analytical Engines as Recurrent Networks"  # "\n  " collapsed
    assert first.abstract.startswith("We recast") and first.abstract.endswith("programs.")
    assert first.authors == ("Ada Lovelace", "Charles Babbage")
    assert (first.date, first.year) == ("2024-03-15", 2024)  # first version, not update_date
    assert first.categories == ("cs.LG", "cs.NE")
    assert second.id == "arXiv:hep-th/9999901" and second.year == 1999
    assert skips.by_reason() == {"abstract too short": 1}


def test_read_papers_hf_daily_pairs_titles_and_abstracts():
    papers, skips = _read(FIXTURES / "hf_daily.txt")
    assert [p.source.rsplit(":", 1)[1] for p in papers] == ["13", "17", "21"]
    assert papers[0].id == title_hash_id("Sparse Mixtures of Tiny Experts for Edge Inference")
    assert papers[1].abstract.endswith("https://example.org/protein-cl")  # ends with a URL, not a period
    assert papers[2].title == "Diffusion Priors for Seismic Inversion..."
    assert len(skips) == 0


def test_read_papers_hf_daily_skips_unpaired_paragraphs():
    papers, skips = _read(FIXTURES / "hf_daily_messy.txt")
    assert [p.title for p in papers] == [
        "Token Merging for Faster Speech Recognition",
        "Calibrated Uncertainty for Graph Neural Networks",
    ]
    assert [(s.source.rsplit(":", 1)[1], s.reason.split(" (")[0]) for s in skips] == [
        ("5", "missing abstract"),  # two titles in a row
        ("11", "missing title"),  # an abstract paragraph without a title
        ("19", "missing abstract"),  # trailing title
    ]


def test_read_papers_hf_daily_corpus_yields_43_papers():
    if not CORPUS.is_file():
        pytest.skip(f"{CORPUS} is absent")
    papers, skips = _read(CORPUS, format="hf-daily")
    assert len(papers) == 43 and len(skips) == 0
    assert len({p.id for p in papers}) == 43


# --- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("papers.jsonl", "jsonl"),
        ("messy.jsonl", "jsonl"),
        ("arxiv_snapshot.jsonl", "arxiv-snapshot"),
        ("papers.json", "json"),
        ("papers_wrapped.json", "json"),
        ("papers.csv", "csv"),
        ("arxiv_atom.xml", "arxiv-atom"),
        ("hf_daily.txt", "hf-daily"),
    ],
)
def test_detect_format_by_extension(name, expected):
    assert detect_format(FIXTURES / name) == expected
    assert expected in FORMATS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("papers.jsonl", "jsonl"),
        ("arxiv_snapshot.jsonl", "arxiv-snapshot"),
        ("papers.json", "json"),
        ("papers_wrapped.json", "json"),
        ("papers.csv", "csv"),
        ("arxiv_atom.xml", "arxiv-atom"),
        ("hf_daily.txt", "hf-daily"),
    ],
)
def test_detect_format_sniffs_unknown_extension(tmp_path, name, expected):
    copy = tmp_path / (name.split(".")[0] + ".dat")
    copy.write_bytes((FIXTURES / name).read_bytes())
    assert detect_format(copy) == expected


def test_detect_format_json_extension_holding_json_lines(tmp_path):
    path = _lines(tmp_path / "lines.json", [{"title": "One Paper", "abstract": ABSTRACT}] * 2)
    assert detect_format(path) == "jsonl"
    # Kaggle ships the snapshot as "arxiv-metadata-oai-snapshot.json", one object per line
    kaggle = tmp_path / "arxiv-metadata-oai-snapshot.json"
    kaggle.write_bytes((FIXTURES / "arxiv_snapshot.jsonl").read_bytes())
    assert detect_format(kaggle) == "arxiv-snapshot"


# --- errors ----------------------------------------------------------------------------


def test_read_papers_missing_file_raises_naming_it(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(InputError, match="nope.jsonl: no such file"):
        read_papers(missing)
    with pytest.raises(InputError, match="nope.jsonl"):
        read_papers([FIXTURES / "papers.jsonl", missing], format="jsonl")


def test_read_papers_unknown_format_name_lists_formats():
    with pytest.raises(InputError, match="unknown input format 'yaml'.*--format.*arxiv-snapshot"):
        read_papers(FIXTURES / "papers.jsonl", format="yaml")


def test_detect_format_binary_content_lists_formats(tmp_path):
    blob = tmp_path / "weights.bin"
    blob.write_bytes(b"\x89PK\x00\x01\x02" * 100)
    with pytest.raises(InputError) as info:
        read_papers(blob)
    message = str(info.value)
    assert "weights.bin" in message and "--format" in message
    assert all(fmt in message for fmt in FORMATS)


def test_read_papers_truncated_json_array_raises_with_line(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[\n  {"title": "One Paper", "abstract": "%s"},\n  {"title": "Two' % ABSTRACT)
    papers = read_papers(path)
    assert next(papers).title == "One Paper"  # what precedes the damage is yielded
    with pytest.raises(InputError, match=r"cut\.json:3: .*(truncated|Unterminated)"):
        next(papers)


def test_read_papers_invalid_json_document_raises_with_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n{"title": "A", "abstract": "%s"},\n{"title": oops}\n]' % ABSTRACT)
    with pytest.raises(InputError, match=r"bad\.json:3: invalid JSON"):
        list(read_papers(path))


def test_read_papers_json_object_without_papers_raises(tmp_path):
    path = tmp_path / "meta.json"
    path.write_text('{\n  "name": "not a paper list"\n}\n')
    with pytest.raises(InputError, match='no "papers" array'):
        list(read_papers(path))


def test_read_papers_malformed_xml_raises_with_line(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text('<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<title>A</titel>\n</entry></feed>\n')
    with pytest.raises(InputError, match=r"bad\.xml:3: the XML is not well-formed"):
        list(read_papers(path))


def test_read_papers_not_utf8_raises_with_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"title": "Fine", "abstract": "%s"}\n{"title": "Caf\xe9"}\n' % ABSTRACT.encode())
    with pytest.raises(InputError, match=r"latin1\.jsonl:2: not valid UTF-8"):
        list(read_papers(path))


def test_read_papers_csv_without_title_column_raises(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("name,abstract\nx,y\n")
    with pytest.raises(InputError, match=r"table\.csv:1: .*needs 'title'"):
        list(read_papers(path))


# --- streaming -------------------------------------------------------------------------


def test_read_papers_streams_jsonl_lazily(tmp_path):
    # the tail is not UTF-8: reading the first paper must not reach it
    path = tmp_path / "big.jsonl"
    line = json.dumps({"title": "Paper {}", "abstract": ABSTRACT})
    with path.open("w", encoding="utf-8") as fh:
        for i in range(20_000):
            fh.write(line.replace("{}", str(i)) + "\n")
    with path.open("ab") as fh:
        fh.write(b"\xff\xfe broken tail\n")
    papers = read_papers(path)
    assert next(papers).title == "Paper 0"
    with pytest.raises(InputError, match=r"big\.jsonl:20001"):
        list(papers)


def test_read_papers_streams_json_array_incrementally(tmp_path):
    path = tmp_path / "big.json"
    record = json.dumps({"title": "Paper {}", "abstract": ABSTRACT})
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[\n" + ",\n".join(record.replace("{}", str(i)) for i in range(20_000)) + ",\n{")
    papers = read_papers(path)
    assert next(papers).title == "Paper 0"
    with pytest.raises(InputError, match=r"big\.json:20002"):
        list(papers)


# --- dedupe and accounting ---------------------------------------------------------------


def test_read_papers_accounts_for_every_record():
    path = FIXTURES / "messy.jsonl"
    records = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    papers, skips = _read(path)
    assert len(papers) + len(skips) == len(records) == 14
    sources = [p.source for p in papers] + [s.source for s in skips]
    assert len(set(sources)) == len(sources)  # each record ends up exactly once
    assert skips.by_reason() == {
        "abstract too short": 1,
        "bad JSON": 1,
        "bad id": 1,
        "duplicate id": 1,
        "duplicate title": 2,
        "empty record": 1,
        "missing abstract": 1,
        "missing title": 1,
        "not a JSON object": 2,
    }
    reasons = {s.source.rsplit(":", 1)[1]: s.reason for s in skips}
    assert reasons["2"].startswith("bad JSON on line 2: ")
    assert reasons["8"] == f"duplicate id m-1 (first seen at {path}:1)"
    assert reasons["9"] == f"duplicate title (first seen at {path}:1)"
    control = next(p for p in papers if p.id == "m-7")
    assert control.title == "Control Characters and Bad Years"
    assert control.abstract == "Text with a NUL byte, a bell and runs of whitespace."
    assert control.year == 2019  # the bad year 3021 falls back to the date


def test_read_papers_dedupes_across_files(tmp_path):
    a = _lines(tmp_path / "a.jsonl", [{"id": "x1", "title": "Shared Title", "abstract": ABSTRACT}])
    b = _lines(
        tmp_path / "b.jsonl",
        [
            {"id": "x1", "title": "Other Title", "abstract": ABSTRACT, "year": 2020},
            {"id": "x2", "title": "shared  title.", "abstract": ABSTRACT},
            {"id": "x3", "title": "New Title", "abstract": ABSTRACT},
        ],
    )
    papers, skips = _read([a, b])
    assert [p.id for p in papers] == ["x1", "x3"]
    assert papers[0].year is None  # the first record wins, even if a later copy has more metadata
    assert [s.reason for s in skips] == [
        f"duplicate id x1 (first seen at {a}:1)",
        f"duplicate title (first seen at {a}:1)",
    ]
    papers, skips = _read([a, b], dedupe=False)
    assert len(papers) == 4 and len(skips) == 0


def test_read_papers_is_deterministic():
    paths = sorted(FIXTURES.iterdir())
    assert _read(paths)[0] == _read(paths)[0]
    assert _read(paths)[1].to_list() == _read(paths)[1].to_list()


# --- helpers -----------------------------------------------------------------------------


def test_skip_report_collects_and_groups():
    report = SkipReport()
    report.add("a.csv:4", "missing title", None)
    report.add("a.csv:2", "duplicate id p (first seen at a.csv:1)", "p")
    assert len(report) == 2 and [s.source for s in report] == ["a.csv:4", "a.csv:2"]
    assert report.by_reason() == {"duplicate id": 1, "missing title": 1}
    assert report.to_list()[1] == {
        "source": "a.csv:2",
        "category": "duplicate id",
        "reason": "duplicate id p (first seen at a.csv:1)",
        "record_id": "p",
    }


def test_normalize_text_collapses_whitespace_only():
    # HTML entities and case stay as written
    assert normalize_text(" A\u00a0&lt;b&gt;\r\n\tB\x00C ") == "A &lt;b&gt; BC"
    assert normalize_text("lone \ud800 surrogate") == "lone \ufffd surrogate"


def test_normalize_text_reads_latex_ties_as_spaces_only_between_words():
    # arXiv abstracts keep LaTeX: "~" ties a word to a bracket, a number or a citation
    assert normalize_text("noise-contrastive estimation~(NCE), see Fig.~3 and al.~\\cite{x}") == (
        "noise-contrastive estimation (NCE), see Fig. 3 and al. \\cite{x}")
    # "approximately", "distributed as" and URLs keep their tilde
    for text in ("a cost of ~10%", "z~N(0, I)", "x_t~p(x)", "http://a.org/~me"):
        assert normalize_text(text) == text


def test_title_key_ignores_case_and_punctuation():
    assert title_key("VAE: Auto-Encoding   Variational Bayes!") == "vae auto encoding variational bayes"
    assert title_hash_id("Auto-encoding variational Bayes") == title_hash_id("AUTO ENCODING VARIATIONAL BAYES.")


def test_parse_authors_accepts_the_usual_shapes():
    assert parse_authors("A. One; B. Two") == ("A. One", "B. Two")
    assert parse_authors("A. One, B. Two, and C. Three") == ("A. One", "B. Two", "C. Three")
    assert parse_authors(42) == ()


def test_parse_year_range():
    assert [parse_year(v) for v in (1900, 2100, 1899, "2101", True, 2020.0)] == [1900, 2100, None, None, None, 2020]
