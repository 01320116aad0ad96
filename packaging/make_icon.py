"""Draw ``packaging/baihe-desk.ico`` (the executables' and shortcuts' icon): 白 in white on the court's
blue, in the sizes Windows asks for. Run once when the design changes; the .ico is kept in the repository.

    .venv/bin/python packaging/make_icon.py /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]


def draw(font_path: str, size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, size - 8, size - 8), radius=size // 6, fill=(22, 78, 148, 255))
    font = ImageFont.truetype(font_path, int(size * 0.66))
    d.text((size / 2, size / 2 + size * 0.02), "白", font=font, fill=(255, 255, 255, 255), anchor="mm")
    return img


if __name__ == "__main__":
    out = Path(__file__).with_name("baihe-desk.ico")
    draw(sys.argv[1]).save(out, sizes=[(s, s) for s in SIZES])
    print(out)
