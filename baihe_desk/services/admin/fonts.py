"""文书字体检查 — for the font settings being edited: which installed file each role will embed, and
which of the configured check characters (生僻字) no font of the chain has.

Uses the document engine's own resolution (:func:`baihe_desk.documents.fonts.font_index`,
:class:`baihe_desk.documents.preflight.FontPlan`), so what the administrator sees is what the PDF
renderer will do. Pure (no Qt); the first scan of the system fonts may take a few seconds, so the
admin screen runs it in the background.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from baihe_desk.documents.fonts import font_index
from baihe_desk.documents.preflight import PAGE_NUMBER_SAMPLE, FontChain
from baihe_desk.documents.settings import FONT_ROLE_LABELS, FONT_ROLES

ROLE_SAMPLES = {
    "title": "民事调解书",
    "body": "原告诉称，被告应于本判决生效之日起十日内偿还借款。",
    "heading1": "一、诉讼请求",
    "heading2": "（一）事实与理由",
    "page_number": PAGE_NUMBER_SAMPLE,
}


@dataclass(frozen=True)
class RoleFont:
    role: str
    label: str
    family: str = ""  # the family of the face that will be embedded
    path: str = ""  # its file
    index: int = 0  # subfont number inside a .ttc
    docx_family: str = ""  # the name written into Word files
    configured_found: bool = False  # False: none of the configured families is installed (fallback used)
    sample: str = ""
    missing: tuple[str, ...] = ()  # characters no face of the chain has
    fallback: tuple[tuple[str, str], ...] = ()  # (character, family of the fallback face drawing it)
    error: str = ""


@dataclass
class FontReport:
    roles: list[RoleFont] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return sorted({c for r in self.roles for c in r.missing})

    @property
    def ok(self) -> bool:
        return not self.missing and not any(r.error for r in self.roles)


def _check_chars(text: str) -> list[str]:
    return [c for c in dict.fromkeys(text) if not c.isspace()]


def font_report(families: Mapping[str, list[str]], dirs: Iterable[Path | str], check_text: str,
                court_name: str = "") -> FontReport:
    """Resolve ``families`` (role → names, incl. ``fallback``) against the installed fonts."""
    index = font_index(tuple(Path(d) for d in dirs))
    fallback_names = list(families.get("fallback", []))
    report = FontReport()
    for role in FONT_ROLES:
        label = FONT_ROLE_LABELS[role]
        wanted = list(families.get(role, []))
        parts = (ROLE_SAMPLES[role],) if role == "page_number" else (court_name, ROLE_SAMPLES[role], check_text)
        sample = " ".join(t for t in parts if t)
        faces = []
        for name in [*wanted, *fallback_names]:  # the order FontPlan.resolve uses
            face = index.find(name)
            if face is not None and face not in faces:
                faces.append(face)
        if not faces:
            report.roles.append(RoleFont(role, label, sample=sample, error=(
                f"本机没有可用于{label}的字体（需要可嵌入的 TrueType 字体）。已配置："
                f"{'、'.join([*wanted, *fallback_names]) or '（无）'}")))
            continue
        chain = FontChain(role, wanted, faces)
        primary = chain.primary
        configured = {n.casefold() for n in wanted}
        found = any(name.casefold() in configured for name in primary.names)
        missing, fallback = [], []
        for ch in _check_chars(sample):
            face = next((f for f in faces if index.has(f, ch)), None)
            if face is None:
                missing.append(ch)
            elif face is not primary:
                fallback.append((ch, face.family))
        report.roles.append(RoleFont(role, label, primary.family, primary.path, primary.index, chain.docx_family,
                                     found, sample, tuple(missing), tuple(fallback)))
    return report
