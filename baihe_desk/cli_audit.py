"""``baihe-desk audit …`` — the audit trail from the command line (审计记录), for the administrator.

    baihe-desk audit verify --user ADMIN                       the keyed chain: 审计链完整, or each problem (exit 1)
    baihe-desk audit list --user ADMIN [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--user-name NAME] [--case 案号]
                          [--action ACTION | PREFIX.] [--limit N] [--json]
    baihe-desk audit export --user ADMIN --out FILE.xlsx|.csv|.pdf [the same filters]

The same services as the window's 审计记录 page (``services.admin.audit_log``): only a user with
``Perm.AUDIT_VIEW`` (the door refuses the others, audited), and every use is audited itself
(``audit.verify``, ``audit.view``, ``audit.export`` with the file's SHA-256). ``--user`` is the desk login
(password from ``BAIHE_DESK_PASSWORD`` or the prompt); the records of one user are filtered with
``--user-name``.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from baihe_desk.cli_door import add_user_option, desk_login
from baihe_desk.errors import KnownError

__all__ = ["add_parser", "cmd_audit"]

LIST_MAX = 500  # rows printed at most (the viewer's page); more: export


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="自该日（含）")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="至该日（含）")
    p.add_argument("--user-name", dest="username", default="", metavar="用户名", help="只看该用户的记录")
    p.add_argument("--case", default="", metavar="案号", help="只看该案的记录（案号、收件号或案件编号）")
    p.add_argument("--action", default="", help="操作，如 case.create；以“.”结尾为前缀，如 case.")


def add_parser(sub: Any) -> None:
    a = sub.add_parser("audit", help="审计记录：核验审计链、查询、导出（管理员）")
    add_user_option(a)
    aa = a.add_subparsers(dest="audit_command", required=True)
    v = aa.add_parser("verify", help="核验审计链（每条记录的密钥哈希及其前后衔接）")
    add_user_option(v)
    ls = aa.add_parser("list", help="查询审计记录（最新的在前）")
    _filters(ls)
    ls.add_argument("--limit", type=int, default=50, help=f"最多显示的条数（1–{LIST_MAX}）")
    ls.add_argument("--json", action="store_true")
    add_user_option(ls)
    ex = aa.add_parser("export", help="导出审计记录（.xlsx、.csv 或 .pdf）")
    _filters(ex)
    ex.add_argument("--out", type=Path, required=True, metavar="文件", help="导出文件，按扩展名选择格式")
    add_user_option(ex)


def _day(text: str | None, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise KnownError(f"{label}应写成 YYYY-MM-DD，例如 2026-12-05：{text}") from None


def _filter(args: argparse.Namespace) -> Any:
    from baihe_desk.services.admin.audit_page import AuditFilter

    return AuditFilter(case=args.case.strip(), username=args.username.strip(), action=args.action.strip(),
                       date_from=_day(args.date_from, "--from 日期"), date_to=_day(args.date_to, "--to 日期"))


def cmd_audit(args: argparse.Namespace, paths: Any, settings: Any) -> int:
    from baihe_desk.services.common.permissions import Perm
    from baihe_desk.storage.startup import open_database

    flt = None if args.audit_command == "verify" else _filter(args)  # a typing error before the password
    if args.audit_command == "list" and not 1 <= args.limit <= LIST_MAX:
        raise KnownError(f"--limit 应在 1 到 {LIST_MAX} 之间；更多的记录请用 baihe-desk audit export 导出。")
    fmt = _format(args.out) if args.audit_command == "export" else ""
    db = open_database(paths, settings, startup_backup=False)
    try:
        user = desk_login(db, args.user, f"audit {args.audit_command}", Perm.AUDIT_VIEW)
        if args.audit_command == "verify":
            return _verify(db, user)
        if args.audit_command == "list":
            return _list(db, user, flt, args.limit, args.json)
        return _export(db, user, flt, args.out, fmt, paths)
    finally:
        db.dispose()


def _verify(db: Any, user: Any) -> int:
    from baihe_desk.services.admin import audit_log

    check = audit_log.verify(db, user)
    if not check.problems:
        print(f"审计链完整（共 {check.records} 条记录）。")
        return 0
    print(f"审计链发现 {len(check.problems)} 个问题（共 {check.records} 条记录）：")
    for p in check.problems:
        print(f"  ✗ 审计记录 #{p.seq}（编号 {p.record_id}）：{p.problem}")
    return 1


def _list(db: Any, user: Any, flt: Any, limit: int, as_json: bool) -> int:
    from baihe_desk.services.admin import audit_log

    with db.transaction() as s:
        page = audit_log.search(s, user, flt, limit=limit)
    if as_json:
        print(json.dumps({"total": page.total, "filter": page.filter.as_json(), "records": [
            {"seq": r.seq, "at": r.at.isoformat(), "username": r.username, "action": r.action, "label": r.label,
             "entity": r.entity, "entity_id": r.entity_id, "detail": r.detail} for r in page.rows]},
            ensure_ascii=False, indent=2))
        return 0
    for r in page.rows:
        print(f"#{r.seq}\t{r.at_text}\t{r.username}\t{r.label}\t{r.action}\t{r.entity}\t{r.entity_id}\t{r.detail}")
    shown = f"（显示最新的 {len(page.rows)} 条）" if page.total > len(page.rows) else ""
    print(f"筛选条件：{page.filter.describe()}；共 {page.total} 条{shown}")
    return 0


def _format(out: Path) -> str:
    from baihe_desk.services.admin.audit_export import FORMATS

    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise KnownError(f"请用 .xlsx、.csv 或 .pdf 作为导出文件的扩展名：{out}")
    return suffix


def _export(db: Any, user: Any, flt: Any, out: Path, fmt: str, paths: Any) -> int:
    from baihe_desk.services.admin import audit_log

    with db.transaction() as s:
        path = audit_log.export(s, user, flt, Path(out), fmt, paths=paths)
    print(path)
    return 0
