"""Where a PDF page puts its pictures, strokes and fills (for the "nothing overlaps a picture" checks).

A small walk over the page's content stream with pypdf: the current transformation matrix and line width
through q/Q/cm/w, the image XObjects drawn by Do (their unit square under the CTM), and every stroked or
filled path's bounding box (grown by half the line width for strokes). Boxes are (x0, y0, x1, y1) in points.
"""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ContentStream

Box = tuple[float, float, float, float]
STROKE = (b"S", b"s", b"B", b"b", b"B*", b"b*")
PAINT = (*STROKE, b"f", b"F", b"f*")


def _mul(m, n):  # type: ignore[no-untyped-def]
    a, b, c, d, e, f = m
    aa, bb, cc, dd, ee, ff = n
    return (a * aa + b * cc, a * bb + b * dd, c * aa + d * cc, c * bb + d * dd, e * aa + f * cc + ee,
            e * bb + f * dd + ff)


def page_boxes(reader: PdfReader, index: int) -> tuple[list[Box], list[Box]]:
    """(pictures, painted paths) of page ``index``."""
    page = reader.pages[index]
    xobjects = page["/Resources"].get("/XObject", {})
    ctm, width = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 1.0
    stack: list = []
    images: list[Box] = []
    paths: list[Box] = []
    current: list[list[tuple[float, float]]] = []

    def point(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm
        return a * x + c * y + e, b * x + d * y + f

    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append((ctm, width))
        elif op == b"Q":
            ctm, width = stack.pop()
        elif op == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op == b"w":
            width = float(operands[0])
        elif op == b"Do" and xobjects[operands[0]].get_object().get("/Subtype") == "/Image":
            corners = [point(0, 0), point(1, 1)]
            images.append((min(p[0] for p in corners), min(p[1] for p in corners),
                           max(p[0] for p in corners), max(p[1] for p in corners)))
        elif op == b"m":
            current.append([point(*map(float, operands))])
        elif op == b"l" and current:
            current[-1].append(point(*map(float, operands)))
        elif op == b"re":
            x, y, w, h = map(float, operands)
            current.append([point(x, y), point(x + w, y + h)])
        elif op in PAINT:
            grow = width / 2 if op in STROKE else 0.0
            for sub in current:
                xs, ys = [p[0] for p in sub], [p[1] for p in sub]
                paths.append((min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow))
            current = []
        elif op == b"n":
            current = []
    return images, paths


def overlaps(a: Box, b: Box, slack: float = 0.05) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def inside(a: Box, b: Box, slack: float = 0.1) -> bool:
    return a[0] >= b[0] - slack and a[1] >= b[1] - slack and a[2] <= b[2] + slack and a[3] <= b[3] + slack


def pictures_overlapping(path: str) -> list[tuple[int, Box, Box]]:
    """(page, picture, path) for every painted path that reaches into a picture from outside it (a table
    border under the chart), and every pair of overlapping pictures."""
    reader = PdfReader(path)
    out = []
    for index in range(len(reader.pages)):
        images, paths = page_boxes(reader, index)
        for k, image in enumerate(images):
            out += [(index + 1, image, p) for p in paths if overlaps(image, p) and not inside(p, image)]
            out += [(index + 1, image, other) for other in images[k + 1:] if overlaps(image, other)]
    return out


def words_overlapping_pictures(path: str) -> list[tuple[int, str, Box]]:
    """(page, word, picture) for every word of text (pdftotext -bbox) that lies over a picture."""
    import re
    import subprocess

    reader = PdfReader(path)
    html = subprocess.run(["pdftotext", "-bbox", path, "-"], capture_output=True, text=True, check=True).stdout
    pages = html.split("<page ")[1:]
    out = []
    for index, chunk in enumerate(pages):
        height = float(reader.pages[index].mediabox.height)
        images, _ = page_boxes(reader, index)
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             chunk):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            word = (x0, height - y1, x1, height - y0)
            out += [(index + 1, m.group(5), image) for image in images if overlaps(word, image, slack=0.5)]
    return out
