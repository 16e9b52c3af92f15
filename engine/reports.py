"""The documents suanli cites, and the short name by which every source names each of them.

``data/reports.toml`` defines them once: the two research reports suanli reproduces and the
outside documents it cites for a figure the reports lack.  A source reads as a reader finds the
place in the PDF: the short name, then 图表N for a figure, or §section and a few words quoted
from the sentence for a passage.

>>> from engine import reports
>>> reports.short("csc-2023")
'中信建投《算力大时代》(2023)'
>>> reports.cite("csc-2023", "图表49")
'中信建投《算力大时代》(2023) 图表49'
>>> [d.id for d in reports.named_in("中信建投《算力大时代》(2023) 图表42")]
['csc-2023']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import packagedata
from .errors import UnknownNameError

__all__ = ["Document", "REPORT_IDS", "documents", "get", "short", "cite", "named_in", "is_own"]

_FIELDS = {"short", "title", "publisher", "date", "address", "note"}
_KINDS = {"reports": "report", "documents": "outside"}
#: The research reports suanli reproduces, by id (the scenario of each one's printed values).
REPORT_IDS = ("csc-2023", "ai-server-2023")
#: The folder of further outside documents (today's catalogue, reported figures): one file per
#: subject, each holding only ``[documents.ID]`` entries, read after reports.toml.
DOCUMENTS = "data/documents"
#: How a source says a figure is suanli's own (an assumption, a derivation, a value to supply).
OWN = "suanli"


@dataclass(frozen=True)
class Document:
    """One cited document: a report suanli reproduces, or an outside document."""

    id: str
    kind: str
    short: str
    title: str
    publisher: str
    date: str
    address: str | None = None
    note: str | None = None


@cache
def documents() -> tuple[Document, ...]:
    """Every cited document: the reports first, then the outside documents, in file order."""
    files = [("data/reports.toml", packagedata.read_toml("data/reports.toml"))]
    files += [(path, packagedata.read_toml(path)) for path in packagedata.listdir(DOCUMENTS)]
    out = []
    for path, raw in files:
        if path != files[0][0] and set(raw) - {"documents"}:
            raise ValueError(f"{path}: only [documents.ID] entries belong here")
        for section, kind in _KINDS.items():
            out += _read(path, section, kind, raw.get(section, {}))
    shorts = [d.short for d in out]
    for d in out:
        if any(d.short != s and d.short in s for s in shorts):
            raise ValueError(f"data/reports.toml: the short name {d.short!r} is part of another")
    ids = [d.id for d in out]
    if len(set(shorts)) != len(shorts) or len(set(ids)) != len(ids) \
            or tuple(d.id for d in out if d.kind == "report") != REPORT_IDS:
        raise ValueError("data/reports.toml, data/documents: ids and short names must be unique and the "
                         "reports must be " + ", ".join(REPORT_IDS))
    return tuple(out)


def _read(path: str, section: str, kind: str, entries: dict) -> list[Document]:
    out = []
    for doc_id, entry in entries.items():
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"{path} [{section}.{doc_id}]: unknown keys {sorted(unknown)}")
        missing = {"short", "title", "publisher", "date"} - set(entry)
        if missing:
            raise ValueError(f"{path} [{section}.{doc_id}]: missing {sorted(missing)}")
        out.append(Document(id=doc_id, kind=kind, **entry))
    return out


def get(doc_id: str) -> Document:
    """One document by its id ("csc-2023")."""
    for d in documents():
        if d.id == doc_id:
            return d
    raise UnknownNameError("document", doc_id, [d.id for d in documents()])


def short(doc_id: str) -> str:
    """The short name of a document, as every source writes it."""
    return get(doc_id).short


def cite(doc_id: str, where: str = "") -> str:
    """A source: the document's short name, then the place in it ("图表49", "§6.2「…」")."""
    return f"{short(doc_id)} {where}".rstrip()


def named_in(text: str) -> list[Document]:
    """The documents a text names by their short names, in the order they first appear."""
    found = [(text.find(d.short), d) for d in documents() if d.short in text]
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]


def is_own(text: str) -> bool:
    """Whether a source says the figure is suanli's own (it begins with "suanli")."""
    return text.startswith(OWN)
