"""``qualite dossier verify``: a dossier (ZIP or unpacked folder) against its SHA256SUMS, its manifest, the
signature of its index and — when the index is in this base's register — the evidence hashes it signed.
Every missing, added or altered file is named."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualite_app.errors import UserError

SUMS = "SHA256SUMS"


@dataclass
class VerifResult:
    manquants: list[str] = field(default_factory=list)
    ajoutes: list[str] = field(default_factory=list)
    alteres: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signature_ok: bool = False
    registre: str = ""
    problemes: list[str] = field(default_factory=list)
    fichiers: int = 0

    @property
    def ok(self) -> bool:
        return not (self.manquants or self.ajoutes or self.alteres or self.problemes) and self.signature_ok

    def lignes(self) -> list[str]:
        out = [f"{self.fichiers} fichier(s) contrôlé(s)."]
        out += [f"MANQUANT : {p}" for p in self.manquants]
        out += [f"AJOUTÉ : {p}" for p in self.ajoutes]
        out += [f"ALTÉRÉ : {p}" for p in self.alteres]
        out += self.problemes
        out += [f"Index : {x}" for x in self.signature]
        if self.registre:
            out.append(self.registre)
        out.append(
            "VERDICT : DOSSIER INTÈGRE" if self.ok else "VERDICT : DOSSIER NON CONFORME (détail ci-dessus)"
        )
        return out


def _open(path: Path) -> tuple[list[str], Callable[[str], Iterator[bytes]]]:
    """Names of the dossier's files and a chunked reader, for a ZIP or a folder."""
    if path.is_dir():
        names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())

        def read_dir(name: str) -> Iterator[bytes]:
            with (path / name).open("rb") as f:
                while chunk := f.read(1 << 20):
                    yield chunk

        return names, read_dir
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UserError(f"« {path} » n'est ni un dossier ni une archive ZIP lisible : {exc}.") from exc

    def read_zip(name: str) -> Iterator[bytes]:
        with zf.open(name) as f:
            while chunk := f.read(1 << 20):
                yield chunk

    return sorted(n for n in zf.namelist() if not n.endswith("/")), read_zip


def _sha(chunks: Iterator[bytes]) -> str:
    h = hashlib.sha256()
    for c in chunks:
        h.update(c)
    return h.hexdigest()


def verifier(path: Path, db: Any = None) -> VerifResult:
    path = Path(path)
    if not path.exists():
        raise UserError(f"« {path} » n'existe pas.")
    names, read = _open(path)
    res = VerifResult()
    if SUMS not in names:
        res.problemes.append(f"{SUMS} est absent : le dossier ne peut pas être contrôlé fichier par fichier.")
        expected: dict[str, str] = {}
    else:
        expected = {}
        for line in b"".join(read(SUMS)).decode("utf-8", "replace").splitlines():
            h, _, p = line.partition("  ")
            if len(h) == 64 and p:
                expected[p] = h
    present = set(names) - {SUMS}
    res.fichiers = len(present)
    res.manquants = sorted(set(expected) - present)
    res.ajoutes = sorted(present - set(expected))
    actual = {n: _sha(read(n)) for n in sorted(present & set(expected))}
    res.alteres = sorted(n for n, h in actual.items() if h != expected[n])
    manifest: dict[str, Any] = {}
    if "manifest.json" in present:
        try:
            manifest = json.loads(b"".join(read("manifest.json")).decode("utf-8"))
        except ValueError:
            res.problemes.append("manifest.json est illisible.")
    for f in manifest.get("fichiers", []):
        if expected.get(f.get("chemin")) not in (None, f.get("sha256")):
            res.problemes.append(
                f"manifest.json et {SUMS} ne donnent pas la même empreinte pour {f.get('chemin')}."
            )
    if "index.pdf" in present:
        pdf = b"".join(read("index.pdf"))
        _signature(res, pdf, db)
        if db is not None:
            _registre(res, pdf, db, names, read)
    else:
        res.signature = ["index.pdf est absent."]
    return res


def _signature(res: VerifResult, pdf: bytes, db: Any) -> None:
    from qualite_app.signing.verify import verify_pdf

    if db is not None:
        from qualite_app.rapports import services as rapports

        v = rapports.verifier_pdf(db, pdf)
    else:
        v = verify_pdf(pdf)
    res.signature = v.lignes()
    res.signature_ok = v.intact and not v.modifie_apres and not v.endommage


def _registre(
    res: VerifResult, pdf: bytes, db: Any, names: list[str], read: Callable[[str], Iterator[bytes]]
) -> None:
    """The evidence hashes signed with the index (its register snapshot) against the files present."""
    from qualite_app.rapports import services as rapports

    digest = hashlib.sha256(pdf).hexdigest()
    row = next(
        (
            r
            for r in rapports.lister(db, kind="dossier_certification")
            if getattr(r, "sha256", None) == digest
        ),
        None,
    )
    if row is None:
        res.registre = "Registre : cet index n'est pas inscrit au registre de cette base (contrôle des empreintes signées impossible)."
        return
    full = rapports.get(db, row.id)
    signed: dict[str, str] = (full.snapshot or {}).get("fichiers", {})
    present = {n for n in names if n.startswith("preuves/")}
    for p in sorted(set(signed) - present):
        if p not in res.manquants:
            res.manquants.append(p)
    for p in sorted(present - set(signed)):
        if p not in res.ajoutes:
            res.ajoutes.append(p)
    for p in sorted(present & set(signed)):
        if _sha(read(p)) != signed[p] and p not in res.alteres:
            res.alteres.append(p)
    res.registre = f"Registre : index {full.reference} émis le {full.emis_le:%d/%m/%Y} ; empreintes des preuves comparées à celles signées."
