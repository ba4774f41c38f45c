"""CISO Assistant libraries (their YAML) → our référentiel document. Pure: a dict in, a dict out.

Their quirks, handled here: nodes without a name (titled from ref_id and the start of the description),
implementation-group ids spelled differently in the definitions and in the nodes (« IG1 », « ig 1 »,
« IG-1 »), assessable nodes at different depths (the ``assessable`` flag decides, not the depth).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def is_ciso(doc: Any) -> bool:
    return (
        isinstance(doc, Mapping) and isinstance(doc.get("objects"), Mapping) and "framework" in doc["objects"]
    )


def group_key(value: Any) -> str:
    """« IG 1 », « ig-1 », « IG_1 » → « ig1 »."""
    return re.sub(r"[\s\-_.]+", "", str(value)).lower()


def _short(text: str, n: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _title(node: Mapping[str, Any]) -> str:
    name = str(node.get("name") or "").strip()
    if name:
        return name
    ref, desc = str(node.get("ref_id") or "").strip(), str(node.get("description") or "").strip()
    if ref and desc:
        return f"{ref} — {_short(desc, 100)}"
    return ref or _short(desc) or str(node.get("urn", "")).rsplit(":", 1)[-1]


def from_ciso(doc: Mapping[str, Any]) -> dict[str, Any]:
    fw = doc["objects"]["framework"]
    groups = {
        group_key(g.get("ref_id")): str(g.get("name") or g.get("ref_id"))
        for g in fw.get("implementation_groups_definition") or []
    }
    raw = list(fw.get("requirement_nodes") or [])
    has_children = {str(n.get("parent_urn")) for n in raw if n.get("parent_urn")}
    nodes: list[dict[str, Any]] = []
    for n in raw:
        urn = str(n.get("urn") or "")
        assessable = bool(n.get("assessable"))
        extras: dict[str, Any] = {}
        for key in ("annotation", "typical_evidence"):
            if n.get(key):
                extras[key] = n[key]
        ig = n.get("implementation_groups") or []
        if ig:
            extras["implementation_groups"] = [groups.get(group_key(g), str(g)) for g in ig]
        nodes.append(
            {
                "urn": urn,
                "parent": n.get("parent_urn") or None,
                "profondeur": int(n.get("depth") or 1),
                "type": "exigence" if assessable or urn not in has_children else "section",
                "ref": str(n.get("ref_id") or ""),
                "titre": _title(n),
                "description": n.get("description"),
                "evaluable": assessable,
                "champ": extras.get("implementation_groups", []),
                "extras": extras or None,
            }
        )
    return {
        "urn": str(fw.get("urn") or doc.get("urn")),
        "noeuds": _parents_first(nodes),
        "version": str(doc.get("version") or "1"),
        "nom": str(fw.get("name") or doc.get("name") or doc.get("ref_id") or "Bibliothèque CISO Assistant"),
        "editeur": str(doc.get("provider") or doc.get("packager") or ""),
        "date_publication": doc.get("publication_date"),
        "langue": str(doc.get("locale") or "fr"),
    }


def _parents_first(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Libraries do not always list a parent before its children: reorder (stable); a parent that is
    not a node (the framework itself) is dropped."""
    known = {n["urn"] for n in nodes}
    for n in nodes:
        if n["parent"] not in known:
            n["parent"] = None
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    pending = nodes
    while pending:
        later = []
        for n in pending:
            if n["parent"] is None or n["parent"] in placed:
                out.append(n)
                placed.add(n["urn"])
            else:
                later.append(n)
        if len(later) == len(pending):  # a cycle: left to the validator, which names the nodes
            return out + later
        pending = later
    return out
