"""The DOCX package around the text: the court's fonts in fontTable and theme, no default-template leftovers.

python-docx starts from a Word 2010 template whose ``fontTable.xml`` lists Calibri, Cambria and the Japanese
ＭＳ 明朝 / ＭＳ ゴシック, whose theme names Calibri / Cambria and a Japanese script font, whose settings
name Cambria Math, and which carries a thumbnail picture, a bibliography customXml part and
``Normal.dotm`` / "Microsoft Macintosh Word" in ``app.xml``. WPS asks for every missing font a file
names, so each of these is replaced by the court's configured families (仿宋_GB2312 with the alternate
仿宋, 方正小标宋简体 with 宋体, 黑体, 楷体_GB2312 with 楷体) or dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from docx.oxml.ns import qn

# Families Windows ships: the alternate a court font falls back to in Word (w:altName).
WINDOWS_CJK = ("仿宋", "宋体", "黑体", "楷体", "新宋体", "微软雅黑")
# Classification for w:family (roman = serif, modern = fixed pitch/sans, script = brush).
SANS = ("黑", "雅黑", "Hei", "YaHei")
BRUSH = ("楷", "Kai")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def alternate(configured: list[str]) -> str:
    """The Windows family a configured chain falls back to (仿宋_GB2312 → 仿宋), or ""."""
    first = configured[0] if configured else ""
    return next((name for name in configured[1:] if name in WINDOWS_CJK and name != first), "")


def _family_class(name: str) -> str:
    if any(s in name for s in SANS):
        return "modern"
    if any(s in name for s in BRUSH):
        return "script"
    return "roman"


def font_table_xml(fonts: dict[str, str]) -> bytes:
    """``fontTable.xml`` naming exactly ``fonts`` (family → alternate family or "") in the GB2312 charset."""
    from lxml import etree

    root = etree.Element(qn("w:fonts"), nsmap={"w": W_NS})
    for name, alt in fonts.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if alt:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), _family_class(name))
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme_xml(blob: bytes, major: str, minor: str) -> bytes:
    """The theme with its major (headings) and minor (body) fonts set to the court's families."""
    from lxml import etree

    root = etree.fromstring(blob)
    a = f"{{{A_NS}}}"
    for tag, family in (("majorFont", major), ("minorFont", minor)):
        for group in root.iter(f"{a}{tag}"):
            for child in list(group):
                if child.tag == f"{a}font":
                    group.remove(child)
            for sub, value in (("latin", family), ("ea", family), ("cs", "")):
                el = group.find(f"{a}{sub}")
                if el is None:
                    el = etree.SubElement(group, f"{a}{sub}")
                el.set("typeface", value)
            hans = etree.SubElement(group, f"{a}font")
            hans.set("script", "Hans")
            hans.set("typeface", family)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           b"<Application>Baihe Desk</Application><DocSecurity>0</DocSecurity></Properties>")


def clean_package(document, chains: dict[str, list[str]], families: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Court fonts in fontTable and theme; no thumbnail, customXml, math font or template name left.

    ``chains``: role → configured family names; ``families``: role → the family the styles name.
    """
    fonts: dict[str, str] = {}
    for role, family in families.items():
        fonts.setdefault(family, alternate([family, *chains.get(role, [])]))
    main = document.part
    for rel_id, rel in list(main.rels.items()):
        if rel.reltype.endswith("/fontTable"):
            rel.target_part._blob = font_table_xml(fonts)
        elif rel.reltype.endswith("/theme"):
            rel.target_part._blob = _theme_xml(rel.target_part.blob, families["title"], families["body"])
        elif rel.reltype.endswith("/customXml"):
            main.drop_rel(rel_id)
    package = main.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            package.rels.pop(rel_id)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = APP_XML
    for fonts_el in list(document.styles.element.iter(qn("w:rFonts"))):
        if fonts_el.get(qn("w:eastAsia")) is None:  # the template's Courier / emptied theme references
            fonts_el.getparent().remove(fonts_el)
    settings = document.settings.element
    for el in list(settings):
        if el.tag in (qn("w:rsids"), qn("w:attachedTemplate")) or el.tag.endswith("}mathPr"):
            settings.remove(el)


def set_core_properties(document, *, title: str, author: str, subject: str, comments: str,  # type: ignore[no-untyped-def]
                        now: datetime) -> None:
    """Author and last editor the court, created and modified ``now`` (UTC, whole seconds), revision 1."""
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.subject = subject
    props.comments = comments
    props.language = "zh-CN"
    props.keywords = ""
    props.category = ""
    props.revision = 1
    if now.tzinfo is not None:
        now = now.astimezone(UTC)
    stamp = now.replace(microsecond=0, tzinfo=None)  # python-docx writes naive datetimes as UTC ("Z")
    props.created = stamp
    props.modified = stamp

