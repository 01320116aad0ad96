"""Headless commands. ``baihe-desk`` with no command starts the desk (GUI).

    baihe-desk [--data-dir DIR] demo [--cases N] [--seed S]            (only into an empty database)
    baihe-desk cases --user NAME [--search TEXT] [--limit N] [--json]
    baihe-desk check                                                      (open; record ids only)
    baihe-desk backup --user ADMIN [--out FILE]                           (a server: pg_dump)
    baihe-desk restore --user ADMIN FILE [--confirm-court 法院名称]
    baihe-desk render KIND --user NAME --case 案号 [--format pdf|docx|both] [--out DIR]
    baihe-desk render weekly-bulletin --user NAME --week 2026-W49 | monthly-analysis --month 2026-11 [--format …]
    baihe-desk fee … / deadline … / law …                                  (open; never open the database)
    baihe-desk server init postgresql://USER@HOST:5432/DB [--app-role NAME]   (password: PGPASSWORD / pgpass)
    baihe-desk server import-sqlite --user ADMIN FILE postgresql://USER@HOST:5432/DB
    baihe-desk bundle --user NAME identity|desks|register|revoke|export|import|inspect …   (cli_bundle.py)
    baihe-desk audit --user ADMIN verify | list [filters] [--json] | export --out FILE.xlsx|.csv   (cli_audit.py)

The CLI and the GUI call the same services. A KnownError prints its Chinese message and exits 1.
Commands behind the desk login (``--user``; password from BAIHE_DESK_PASSWORD or a prompt): see
:mod:`baihe_desk.cli_door`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from baihe_desk import __version__
from baihe_desk.cli_door import add_user_option, audit_command, desk_login
from baihe_desk.config import LocalSettings, Paths, resolve_data_dir
from baihe_desk.errors import KnownError
from baihe_desk.law_cli import add_parser as add_law_parser
from baihe_desk.law_cli import cmd_law

FEE_KINDS = ["property", "divorce", "personality", "other_nonproperty", "ip", "labor", "enforcement", "preservation"]  # fees.fee_kinds()


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="baihe-desk", description="白河林区基层法院 立案·调解工作台")
    p.add_argument("--data-dir", help="数据文件夹（默认：环境变量 BAIHE_DESK_DATA，或当前用户的数据文件夹）")
    p.add_argument("--db", metavar="URL", help="院内数据库服务器，例如 postgresql://baihe@10.0.0.5/baihe"
                   "（默认：环境变量 BAIHE_DESK_DB_URL，或本机数据文件夹中的数据库）")
    p.add_argument("--version", action="version", version=f"baihe-desk {__version__}")
    p.add_argument("--user", metavar="用户名", default=None,
                   help="工作台账号（密码取自环境变量 BAIHE_DESK_PASSWORD，或在终端提示输入）")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("gui", help="启动工作台（默认）")
    d = sub.add_parser("demo", help="载入演示数据（法院信息、每个角色一个用户、各阶段的案件）")
    d.add_argument("--cases", type=int, default=200)
    d.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("cases", help="列出或查找案件")
    c.add_argument("--search", default="")
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--json", action="store_true")
    add_user_option(c)
    sub.add_parser("check", help="检查数据库（结构版本、完整性、审计链、数量）")
    b = sub.add_parser("backup", help="备份数据库")
    b.add_argument("--out", type=Path)
    add_user_option(b)
    r = sub.add_parser("restore", help="从备份文件恢复数据库（先自动备份当前数据库）")
    r.add_argument("file", type=Path)
    r.add_argument("--confirm-court", metavar="法院名称", default=None,
                   help="恢复另一法院或另一数据库的备份时，重新输入该备份所属法院的名称以确认")
    add_user_option(r)
    rn = sub.add_parser("render", help="生成文书")
    rn.add_argument("kind")
    rn.add_argument("--case", help="案号或收件号（案件文书）")
    rn.add_argument("--week", help="周通报的统计周，如 2026-W49")
    rn.add_argument("--month", help="月分析的统计月，如 2026-11")
    rn.add_argument("--format", choices=["pdf", "docx", "both"], default="both")
    rn.add_argument("--out", type=Path, default=Path("."))
    add_user_option(rn)
    dl = sub.add_parser("deadline", help="计算期间届满日（民事诉讼法第八十五条、民法典第二百零二条）")
    dl.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    g = dl.add_mutually_exclusive_group(required=True)
    g.add_argument("--days", type=int)
    g.add_argument("--months", type=int)
    g.add_argument("--working-days", type=int)
    f = sub.add_parser("fee", help="计算诉讼费用（诉讼费用交纳办法）")
    f.add_argument("--kind", required=True, choices=FEE_KINDS)
    f.add_argument("--amount", help="金额（元），按十进制精确计算")
    f.add_argument("--procedure", choices=["ordinary", "simple"], default="ordinary")
    f.add_argument("--mediated", action="store_true", help="调解结案（减半）")
    f.add_argument("--withdrawn", action="store_true", help="撤诉（减半）")
    sv = sub.add_parser("server", help="院内数据库服务器（PostgreSQL）")
    svs = sv.add_subparsers(dest="server_command", required=True)
    si = svs.add_parser("init", help="检查服务器与数据库，安装 pg_trgm，建立或升级数据库结构，设置工作台角色")
    si.add_argument("url", help="postgresql://用户@主机:5432/数据库（密码用 PGPASSWORD 或 pgpass 文件提供）")
    si.add_argument("--app-role", default="baihe_desk_app", help="工作台连接所用的数据库角色")
    sm = svs.add_parser("import-sqlite", help="把单机数据库（SQLite 文件）的全部数据迁移到已初始化的服务器数据库")
    sm.add_argument("file", type=Path, help="单机数据库文件 baihe-desk.sqlite3")
    sm.add_argument("url", help="postgresql://用户@主机:5432/数据库")
    add_user_option(sm)
    add_law_parser(sub)
    from baihe_desk import cli_bundle

    cli_bundle.add_parser(sub)
    from baihe_desk import cli_audit

    cli_audit.add_parser(sub)
    return p


def _start_args(argv: list[str] | None) -> argparse.Namespace | None:
    """The plain start (no command; at most ``--data-dir`` / ``--db``), parsed without building every
    command's parser: 25 ms less before the login window (issue 21). None: anything else."""
    quick = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    quick.add_argument("--data-dir")
    quick.add_argument("--db")
    try:
        args, rest = quick.parse_known_args(sys.argv[1:] if argv is None else argv)
    except SystemExit:  # e.g. --data-dir without a value: the full parser says what is wrong
        return None
    if rest:
        return None
    args.command, args.user = None, None
    return args


def main(argv: list[str] | None = None) -> int:
    args = _start_args(argv) or _parser().parse_args(argv)
    paths = Paths(resolve_data_dir(args.data_dir))
    settings = LocalSettings.load(paths)
    if args.db:
        settings.database_url = args.db
    command = args.command or "gui"
    if not hasattr(args, "user"):
        args.user = None
    try:
        if command == "gui":  # (the desk tells the law library once the database is open: not before the login window)
            from baihe_desk.app import main as gui_main

            return gui_main(sys.argv[:1], paths, settings)
        from baihe_desk.services.common.law_library import use_data_dir

        use_data_dir(paths.root)  # the law library also reads versions an administrator added there
        return COMMANDS[command](args, paths, settings)
    except KnownError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1


def _open(paths: Paths, settings: LocalSettings):  # type: ignore[no-untyped-def]
    """Open for a command: no whole-database copy (a backup only before a pending migration)."""
    from baihe_desk.storage.startup import open_database

    return open_database(paths, settings, startup_backup=False)


def cmd_demo(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.admin.demo import load_demo
    from baihe_desk.services.common.demo_mark import demo_refusal

    db = _open(paths, settings)
    try:
        with db.session() as s:
            refusal = demo_refusal(s)
        if refusal:
            raise KnownError(refusal)

        def progress(done: int, total: int) -> None:
            print(f"\r已生成 {done}/{total} 件", end="", file=sys.stderr, flush=True)

        result = load_demo(db, cases=args.cases, seed=args.seed, progress=progress, paths=paths)
    finally:
        db.dispose()
    print(file=sys.stderr)
    print(f"数据文件夹：{paths.root}")
    print(f"已载入演示案件 {result.cases} 件（本数据库已标记为演示数据库）。")
    if result.users:
        print("演示用户（用户名 / 密码 / 角色；仅在本演示数据库中有效）：")
        for username, password, label in result.users:
            print(f"  {username:<10} {password:<24} {label}")
    else:
        print("演示用户已存在，密码未改变。")
    return 0


def cmd_cases(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.models import Role
    from baihe_desk.services.common.case_query import count_cases, search_cases
    from baihe_desk.services.common.masking import mask_text
    from baihe_desk.services.common.permissions import Perm

    db = _open(paths, settings)
    try:
        user = desk_login(db, args.user, "cases", Perm.CASE_VIEW)
        if user.role is Role.MEDIATOR:  # as in the window: no court case list for the mediators
            audit_command(db, user, "cases", refused="mediator")
            raise KnownError("调解员只能在调解工作台查看分配给本人的案件，不能查看法院的案件列表。")
        with db.session() as s:
            total = count_cases(s, args.search)
            rows = search_cases(s, args.search, limit=args.limit)
        audit_command(db, user, "cases", cases=[r.id for r in rows], search=mask_text(args.search),
                      total=total, json=bool(args.json))
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({"total": total, "cases": [
            {"id": str(r.id), "number": r.number, "has_case_number": r.has_case_number, "cause": r.cause_name,
             "plaintiffs": r.plaintiffs, "defendants": r.defendants, "stage": r.stage.value,
             "stage_label": r.stage.label, "received_on": r.received_on.isoformat(),
             "claim_amount": str(r.claim_amount) if r.claim_amount is not None else None} for r in rows]},
            ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{r.number}\t{r.cause_name}\t{r.plaintiffs} 诉 {r.defendants}\t{r.stage.label}\t{r.received_on}")
    print(f"共 {total} 件" + (f"（显示前 {len(rows)} 件）" if total > len(rows) else ""))
    return 0


def cmd_check(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.admin.health import check_database
    from baihe_desk.storage.startup import open_database

    # read-only: no backup (on a damaged file it would fail before the integrity report), no migration
    if not paths.database.exists() and not settings.database_url:
        raise KnownError(f"找不到数据库文件：{paths.database}")
    db = open_database(paths, settings, backup=False, migrate=False)
    try:
        report = check_database(db)
    finally:
        db.dispose()
    for line in report.lines:
        print(line)
    if report.problems:
        print(f"发现 {len(report.problems)} 个问题：")
        for p in report.problems:
            print(f"  ✗ {p}")
        return 2
    print("检查通过。")
    return 0


def cmd_backup(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.admin.backups import backup_now
    from baihe_desk.services.common.permissions import Perm

    db = _open(paths, settings)
    try:
        user = desk_login(db, args.user, "backup", Perm.BACKUP)
        out = backup_now(db, paths, user, out=args.out)  # audited with the file's path and SHA-256
    finally:
        db.dispose()
    print(out)
    return 0


def cmd_restore(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.admin.backups import restore_database
    from baihe_desk.services.common.permissions import Perm

    db = _open(paths, settings)
    user = desk_login(db, args.user, "restore", Perm.BACKUP)
    # restore_database audits in the database being replaced, then in the restored one
    result = restore_database(paths, args.file, settings=settings, actor=user, db=db,
                              confirm_court=args.confirm_court)
    print(f"已从 {result.source} 恢复到 {result.target}")
    if result.safety_copy:
        print(f"原数据库已另存为 {result.safety_copy}")
    return 0


def cmd_render(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.common.documents import find_case, render_to_dir
    from baihe_desk.services.common.permissions import Perm
    from baihe_desk.services.statistics.export import REPORT_KINDS, render_report_to_dir

    report = args.kind in REPORT_KINDS
    if not report and not args.case:
        raise KnownError("请用 --case 指定案号或收件号。")
    db = _open(paths, settings)
    try:
        user = desk_login(db, args.user, "render", Perm.REPORT_EXPORT if report else Perm.DOCUMENT_GENERATE)
        if report:
            key = args.week or args.month or ""
            with db.transaction() as s:  # the permission is checked (again) by render_report_to_dir
                out = render_report_to_dir(s, user, args.kind, key, [args.format], args.out, paths=paths)
            audit_command(db, user, "render", output=out, kind=args.kind, period=key)
        else:
            with db.session() as s:  # the permission and the case scope are checked by render_to_dir
                case_id = find_case(s, args.case).id
            with db.transaction() as s:
                out = render_to_dir(s, user, args.kind, args.case, [args.format], args.out, paths=paths)
            audit_command(db, user, "render", cases=[case_id], output=out, kind=args.kind)
    finally:
        db.dispose()
    for path in out:
        print(path)
    return 0


def _no_database_note(paths: Paths) -> None:
    if paths.database.exists():
        print("（计算器不打开数据库：本院在“系统管理”中调整的收费标准、补充的节假日不在此计算之内，"
              "请在工作台中计算。）", file=sys.stderr)


def cmd_deadline(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.deadlines.holidays import table_with_extra
    from baihe_desk.services.deadlines.periods import deadline_text

    _no_database_note(paths)
    print(deadline_text(args.start, days=args.days, months=args.months, working_days=args.working_days,
                        table=table_with_extra(None)))
    return 0


def cmd_fee(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.filing.fees import fee_text

    _no_database_note(paths)
    print(fee_text(args.kind, args.amount, procedure=args.procedure, mediated=args.mediated,
                   withdrawn=args.withdrawn, overrides=None))
    return 0


def cmd_server(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    if args.server_command == "import-sqlite":
        from baihe_desk.services.admin.server_import import import_sqlite

        def progress(table: str, rows: int) -> None:
            print(f"\r正在迁移 {table}：{rows:,} 行", end="", file=sys.stderr, flush=True)

        _source_admin(args, settings)
        result = import_sqlite(args.file, args.url, progress=progress)
        print(file=sys.stderr)
        lines = result.lines
    else:
        from baihe_desk.storage.server import init_server

        lines = init_server(args.url, app_role=args.app_role).lines
    for line in lines:
        print(line)
    return 0


def cmd_bundle(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.cli_bundle import run

    return run(args, paths, settings)


def cmd_audit(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.cli_audit import cmd_audit as run

    return run(args, paths, settings)


def _source_admin(args, settings) -> None:  # type: ignore[no-untyped-def]
    """import-sqlite moves every record of the file: a desk administrator of that file must log in."""
    from baihe_desk.services.common.permissions import Perm
    from baihe_desk.storage.db import Database

    source = Path(args.file)
    if not source.is_file():
        raise KnownError(f"找不到数据库文件：{source}")
    db = Database("sqlite:///" + source.resolve().as_posix())
    try:
        user = desk_login(db, args.user, "server import-sqlite", Perm.BACKUP)
        audit_command(db, user, "server import-sqlite", target=_redacted_url(args.url))
    finally:
        db.dispose()


def _redacted_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"


COMMANDS = {
    "deadline": cmd_deadline, "fee": cmd_fee,
    "demo": cmd_demo, "cases": cmd_cases, "check": cmd_check, "backup": cmd_backup, "restore": cmd_restore,
    "render": cmd_render, "server": cmd_server, "law": cmd_law, "bundle": cmd_bundle,
    "audit": cmd_audit,
}
