"""``baihe-desk law`` — read the bundled law library from the command line (法规库查询).

    baihe-desk law 民诉法 122                 the article (Chinese numerals or digits: 一百二十二 / 第122条)
    baihe-desk law 民诉法 122 --on 2023-06-01  the version in force on that day
    baihe-desk law --search 小额诉讼 审结 [--law 民诉法]
    baihe-desk law --list                     the laws, their versions, effective dates and sources
    baihe-desk law --add FILE --law 民诉法 --version-name 2026年修正 --effective 2026-07-01 --source 文号

No login and no database: it reads only resources/law/ and the data folder's law/ (versions an
administrator added). Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "cmd_law"]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("law", help="查阅法规库（法条原文，无需登录）：baihe-desk law 民诉法 122")
    p.add_argument("law_name", nargs="?", help="法规名称或简称：民诉法、民诉法解释、诉讼费用交纳办法、登记立案规定……")
    p.add_argument("article", nargs="?", help="条文序号：122、一百二十二、第一百二十二条")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="按该日施行的版本（默认今天）")
    p.add_argument("--neighbours", action="store_true", help="同时显示前后各一条")
    p.add_argument("--search", metavar="词语", nargs="+", help="按词语全文检索（多个词须同时出现）")
    p.add_argument("--law", dest="law_option", help="检索或增加版本时限定的法规")
    p.add_argument("--list", action="store_true", help="列出法规库中的法规和版本")
    p.add_argument("--add", type=Path, metavar="文件", help="为已收录的法规增加新版本（UTF-8 文本，每条以“第X条”另起一行）")
    p.add_argument("--version-name", help="新版本的名称，如 2026年修正")
    p.add_argument("--effective", metavar="YYYY-MM-DD", help="新版本的施行日期")
    p.add_argument("--source", default="", help="新版本的来源（公布机关、文号或网址）")


def _date(text: str | None, field: str) -> dt.date | None:
    from baihe_desk.services.common.law_library import LawLibraryError

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LawLibraryError(f"{field}“{text}”不是有效日期，请写成 YYYY-MM-DD") from None


def cmd_law(args: argparse.Namespace, paths: Any, settings: Any = None) -> int:
    from baihe_desk.services.common.law_library import LawLibraryError, add_version, get_library, use_data_dir

    use_data_dir(paths.root)
    if args.add is not None:
        law = args.law_option or args.law_name
        effective = _date(args.effective, "施行日期")
        if not law or not args.version_name or effective is None:
            raise LawLibraryError("增加新版本须写明 --law、--version-name 和 --effective")
        v = add_version(paths.root, law, args.add, version=args.version_name, effective=effective,
                        source=args.source)
        print(f"已增加{v.bracketed}{v.version}（{v.effective.isoformat()}起施行），共 {len(v.articles)} 条；原有版本保留。")
        older = [o for o in get_library().versions_of(v.key) if o.version != v.version and o.effective < v.effective]
        if older and len(v.articles) < len(older[-1].articles):
            print(f"注意：此前的版本（{older[-1].version}）有 {len(older[-1].articles)} 条，新版本只有 "
                  f"{len(v.articles)} 条；新版本施行后，未收入的条文将查不到。请核对文本是否完整。")
        return 0
    lib = get_library()
    day = _date(args.on, "日期")
    if args.list:
        for law_key in lib.keys():
            for v in lib.versions_of(law_key):
                where = "" if v.bundled else "（管理员增加）"
                print(f"{v.short}\t{v.bracketed}{v.version}，{v.effective.isoformat()}起施行，"
                      f"{len(v.articles)} 条{'（节录）' if v.excerpt else ''}{where}\n\t来源：{v.source}")
        return 0
    if args.search:
        key = lib.key_for(args.law_option) if args.law_option else None
        if args.law_option and key is None:
            raise LawLibraryError(f"法规库中没有“{args.law_option}”")
        hits = lib.search(" ".join(args.search), key=key, day=day)
        for a in hits:
            v = lib.version(a.law_key, a.version)
            print(f"{v.short}{a.label}：{a.text.replace(chr(10), ' ')[:120]}")
        print(f"共 {len(hits)} 条。")
        return 0
    if not args.law_name or not args.article:
        raise LawLibraryError("请写明法规和条文序号，例如：baihe-desk law 民诉法 122")
    a = lib.article(args.law_name, args.article, day=day)
    shown = [a]
    if args.neighbours:
        before, after = lib.neighbours(a)
        shown = [*before, a, *after]
    v = lib.version(a.law_key, a.version)
    print(f"{v.bracketed}（{v.version}，{v.effective.isoformat()}起施行）")
    heading = ""
    for art in shown:
        if art.heading and art.heading != heading:
            print(art.heading)
        heading = art.heading
        print(f"{art.label}　" + "\n".join(art.paragraphs))
    print(f"来源：{v.source}")
    return 0
