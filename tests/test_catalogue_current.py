"""Today's catalogue (engine/data/catalogue_current/*.toml): every value sourced to a document a
reader can find, blanks marked "not published", dense and sparse kept apart.

The rules here hold for every entry of the folder, so a new entry is checked the moment it is added.
"""

from __future__ import annotations

import pytest

from engine import catalogue, packagedata, reports
from engine.errors import MissingValueError

CURRENT = [catalogue.get(k) for k in catalogue.keys() if catalogue.get(k).outside]
#: Pairs of (dense, sparse) fields: where a datasheet gives both, sparse is twice dense.
SPARSE_PAIRS = [(f, f.replace("_dense_", "_sparse_")) for f in catalogue.fields()
                if "_dense_" in f and f.replace("_dense_", "_sparse_") in catalogue.fields()]


def _document(source: str) -> reports.Document | None:
    named = reports.named_in(source)
    return named[0] if named and source.startswith(named[0].short) else None


def test_the_outside_documents_load_with_every_field_a_citation_needs():
    for path in packagedata.listdir(reports.DOCUMENTS):
        for doc_id in packagedata.read_toml(path).get("documents", {}):
            d = reports.get(doc_id)
            assert d.kind == "outside" and d.publisher and d.title and d.date and d.address, (path, doc_id)


@pytest.mark.parametrize("chip", CURRENT, ids=lambda c: c.key)
def test_every_value_of_todays_catalogue_names_a_document_with_publisher_title_date_and_address(chip):
    assert not chip.tables
    for name, src in chip.sources.items():
        doc = _document(src)
        assert doc is not None, f"{chip.key}.{name}: source {src!r} does not begin with a document's short name"
        assert doc.kind == "outside" and doc.address and doc.date and doc.publisher and doc.title, (chip.key, name)
        assert src.strip() != doc.short, f"{chip.key}.{name}: say where in {doc.short} (page, table, footnote)"


@pytest.mark.parametrize("chip", CURRENT, ids=lambda c: c.key)
def test_blanks_say_not_published_and_are_never_a_number(chip):
    for name in chip.unpublished:
        assert name not in chip.values
        assert chip.notes[name].startswith(catalogue.NOT_PUBLISHED)
        with pytest.raises(MissingValueError, match="is not published"):
            catalogue.value(chip, name)


@pytest.mark.parametrize("chip", CURRENT, ids=lambda c: c.key)
def test_sparse_is_twice_dense_where_both_are_published(chip):
    for dense, sparse in SPARSE_PAIRS:
        if dense in chip.values and sparse in chip.values:
            assert chip.values[sparse] == pytest.approx(2 * chip.values[dense], rel=2e-3), (chip.key, dense)


def test_a_blank_with_a_value_or_in_the_reports_catalogue_is_refused():
    fields = {"tdp_w": {"unit": "W", "type": "number"}}
    with pytest.raises(ValueError, match="published = false"):
        catalogue._build_chip("x", {"name": "X", "vendor": "V", "kind": "gpu", "tables": [],
                                    "tdp_w": {"value": 1, "published": False, "source": "s"}}, fields, outside="f")
    with pytest.raises(ValueError, match="published = false"):
        catalogue._build_chip("x", {"name": "X", "vendor": "V", "kind": "gpu", "tables": [],
                                    "tdp_w": {"published": False, "source": "s"}}, fields)
    with pytest.raises(ValueError, match="belongs in catalogue.toml"):
        catalogue._build_chip("x", {"name": "X", "vendor": "V", "kind": "gpu", "tables": ["fig42"]}, fields,
                              outside="f")


def test_the_command_says_where_an_entry_of_todays_catalogue_comes_from(capsys):
    from suanli.cli import main

    assert main(["catalogue", "B200"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("[gpu; today's catalogue, from documents outside the reports]")
    assert out[-1] == "sources and notes in full: suanli catalogue b200 --format json"
    assert any(line.startswith("die_area_mm2") and "not published" in line for line in out)
