"""The report contract: what every report of the application is, and the letterhead they all share.

A report is a ``Renderer``: a small object (usually a module-level instance next to its builder) that
knows its kind, the label and reference prefix of that kind in the register, and turns its data into
PDF bytes. The register (``qualite_app.rapports.registre.emettre``) does the rest in one place and one
transaction: letterhead, reference, build, sign, store, register.

Builders are pure: ``build(data, header)`` depends only on its arguments (ReportLab invariant mode, the
issue date comes from ``header``), never on the database nor on a service. What the establishment looks
like on paper (logo, name, address, FINESS) arrives in ``header.letterhead`` and is drawn by
``reports.templates`` for every report, on the first page and in every page header.

Adding a report = a Renderer next to its builder, one target string in its area's ``reports`` in
``qualite_app.areas.AREAS``, and ``rapports.emettre(db, RENDERER, data)`` from the area's service.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

D = TypeVar("D", contravariant=True)
T = TypeVar("T")


@dataclass(frozen=True)
class Letterhead:
    """The establishment as it appears on every report."""

    etablissement: str = ""
    adresse: str = ""  # « 12 rue … – 75001 Paris »
    finess: str = ""  # FINESS géographique (France only)
    logo: bytes | None = None

    @property
    def address_line(self) -> str:
        """The line under the establishment's name: address, then FINESS."""
        if self.finess:
            return f"{self.adresse} · FINESS {self.finess}" if self.adresse else f"FINESS {self.finess}"
        return self.adresse


@dataclass(frozen=True)
class ReportHeader:
    """What the register gives a builder besides its data: who issues it, to whom, under which reference, when."""

    letterhead: Letterhead = Letterhead()
    reference: str = ""
    issued_at: datetime = field(default_factory=lambda: datetime.now().replace(second=0, microsecond=0))
    recipient: str = ""
    author: str = ""
    author_function: str = ""


@runtime_checkable
class Renderer(Protocol[D]):
    """One kind of report. ``build`` is pure and deterministic for a given data and header."""

    @property
    def kind(self) -> str:
        """Key of the kind in the register (``rapport_emis.type_rapport``)."""
        ...

    @property
    def label(self) -> str:
        """French label of the kind (register filters and columns)."""
        ...

    @property
    def prefix(self) -> str:
        """Prefix of its references: ``NI`` → NI-2026-0001."""
        ...

    def title(self, data: D) -> str:
        """The title of this report in the register."""
        ...

    def build(self, data: D, header: ReportHeader) -> bytes:
        """Data → PDF bytes."""
        ...

    def snapshot(self, data: D) -> dict[str, Any]:
        """The data the report was built from, JSON-able: stored in the register, its ``data_hash`` too."""
        ...

    def params(self, data: D) -> dict[str, Any]:
        """A few parameters shown with the register row (period, programme…)."""
        ...


@dataclass(frozen=True)
class ReportKind(Generic[T]):
    """A Renderer made of functions: how each area declares its report next to its builder::

        NOTE = ReportKind("note_information", "Note d'information", "NI", title=..., build=build_note,
                          snapshot=NoteData.as_dict, params=...)
    """

    kind: str
    label: str
    prefix: str
    title_of: Callable[[T], str]
    build_with: Callable[[T, ReportHeader], bytes]
    snapshot_of: Callable[[T], dict[str, Any]]
    params_of: Callable[[T], dict[str, Any]] = lambda _data: {}

    def title(self, data: T) -> str:
        return self.title_of(data)

    def build(self, data: T, header: ReportHeader) -> bytes:
        return self.build_with(data, header)

    def snapshot(self, data: T) -> dict[str, Any]:
        return self.snapshot_of(data)

    def params(self, data: T) -> dict[str, Any]:
        return self.params_of(data)


def _canonical(data: Any, separators: tuple[str, str]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=separators).encode("utf-8")


def data_hash(data: Any) -> str:
    """SHA-256 of a JSON-able value in canonical form (sorted keys, compact separators, UTF-8): the
    fingerprint of what a report was built from. The one definition of the application."""
    return hashlib.sha256(_canonical(data, (",", ":"))).hexdigest()


def data_hash_matches(data: Any, digest: str) -> bool:
    """Does ``digest`` fingerprint ``data``? Also accepts the spaced JSON separators that the dashboard
    report used for the rows it registered before migration 0007 (same keys, same order, ``", "``/``": "``)."""
    return digest in (data_hash(data), hashlib.sha256(_canonical(data, (", ", ": "))).hexdigest())
