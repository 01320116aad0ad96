"""Headless commands. ``baihe-desk`` with no command starts the desk (GUI).

    baihe-desk [--data-dir DIR] demo [--cases N] [--seed S]
    baihe-desk cases [--search TEXT] [--limit N] [--json]
    baihe-desk check
    baihe-desk backup [--out FILE]
    baihe-desk restore FILE
    baihe-desk render KIND --case 案号 [--format pdf|docx|both] [--out DIR]
    baihe-desk render weekly-bulletin --week 2026-W49 | monthly-analysis --month 2026-11 [--format …] [--out DIR]
    baihe-desk server init postgresql://USER@HOST:5432/DB [--app-role NAME]   (password: PGPASSWORD / pgpass)
    baihe-desk server import-sqlite FILE postgresql://USER@HOST:5432/DB
    baihe-desk bundle identity|desks|register|revoke|export|import|inspect …   (cli_bundle.py)

The CLI and the GUI call the same services. A KnownError prints its Chinese message and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from baihe_desk import __version__
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
    sub = p.add_subparsers(dest="command")
    sub.add_parser("gui", help="启动工作台（默认）")
    d = sub.add_parser("demo", help="载入演示数据（法院信息、每个角色一个用户、各阶段的案件）")
    d.add_argument("--cases", type=int, default=200)
    d.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("cases", help="列出或查找案件")
    c.add_argument("--search", default="")
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--json", action="store_true")
    sub.add_parser("check", help="检查数据库（结构版本、完整性、审计链、数量）")
    b = sub.add_parser("backup", help="备份数据库")
    b.add_argument("--out", type=Path)
    r = sub.add_parser("restore", help="从备份文件恢复数据库（先自动备份当前数据库）")
    r.add_argument("file", type=Path)
    rn = sub.add_parser("render", help="生成文书")
    rn.add_argument("kind")
    rn.add_argument("--case", help="案号或收件号（案件文书）")
    rn.add_argument("--week", help="周通报的统计周，如 2026-W49")
    rn.add_argument("--month", help="月分析的统计月，如 2026-11")
    rn.add_argument("--format", choices=["pdf", "docx", "both"], default="both")
    rn.add_argument("--out", type=Path, default=Path("."))
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
    add_law_parser(sub)
    from baihe_desk import cli_bundle

    cli_bundle.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    paths = Paths(resolve_data_dir(args.data_dir))
    settings = LocalSettings.load(paths)
    if args.db:
        settings.database_url = args.db
    command = args.command or "gui"
    from baihe_desk.services.common.law_library import use_data_dir

    use_data_dir(paths.root)  # the law library also reads versions an administrator added there
    try:
        if command == "gui":
            from baihe_desk.app import main as gui_main

            return gui_main(sys.argv[:1], paths, settings)
        return COMMANDS[command](args, paths, settings)
    except KnownError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1


def _open(paths: Paths, settings: LocalSettings):  # type: ignore[no-untyped-def]
    from baihe_desk.storage.startup import open_database

    return open_database(paths, settings)


def cmd_demo(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.admin.demo import load_demo

    db = _open(paths, settings)

    def progress(done: int, total: int) -> None:
        print(f"\r已生成 {done}/{total} 件", end="", file=sys.stderr, flush=True)

    result = load_demo(db, cases=args.cases, seed=args.seed, progress=progress, paths=paths)
    print(file=sys.stderr)
    print(f"数据文件夹：{paths.root}")
    print(f"已载入演示案件 {result.cases} 件。")
    if result.users:
        print("演示用户（用户名 / 密码 / 角色）：")
        for username, password, label in result.users:
            print(f"  {username:<10} {password:<24} {label}")
    else:
        print("演示用户已存在，密码未改变。")
    return 0


def cmd_cases(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.common.case_query import count_cases, search_cases

    db = _open(paths, settings)
    with db.session() as s:
        total = count_cases(s, args.search)
        rows = search_cases(s, args.search, limit=args.limit)
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

    # no start-up backup here: on a damaged file it would fail before the integrity report
    db = open_database(paths, settings, backup=False)
    report = check_database(db)
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
    from baihe_desk.services.admin.backups import write_backup

    db = _open(paths, settings)
    try:
        out = write_backup(db, paths, None, args.out)  # a server database: pg_dump (README “院内服务器”)
    finally:
        db.dispose()
    print(out)
    return 0


def cmd_restore(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.admin.backups import restore_database

    result = restore_database(paths, args.file, settings=settings)  # migrates forward, audited
    print(f"已从 {result.source} 恢复到 {result.target}")
    if result.safety_copy:
        print(f"原数据库已另存为 {result.safety_copy}")
    return 0


def cmd_render(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.common.documents import render_to_dir
    from baihe_desk.services.statistics.export import REPORT_KINDS, render_report_to_dir

    report = args.kind in REPORT_KINDS
    if not report and not args.case:
        raise KnownError("请用 --case 指定案号或收件号。")
    db = _open(paths, settings)
    try:
        with db.session() as s:
            out = render_report_to_dir(s, args.kind, args.week or args.month or "", [args.format], args.out,
                                       paths=paths) if report else \
                render_to_dir(s, args.kind, args.case, [args.format], args.out, paths=paths)
            for path in out:
                print(path)
    finally:
        db.dispose()
    return 0


def _court_setting(paths: Paths, settings: LocalSettings, key: str):  # type: ignore[no-untyped-def]
    """A court-wide setting if a database already exists; the calculators work without one."""
    if not paths.database.exists():
        return None
    from baihe_desk.models import Setting

    db = _open(paths, settings)
    try:
        with db.session() as s:
            row = s.get(Setting, key)
            return row.value if row else None
    finally:
        db.dispose()


def cmd_deadline(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.deadlines.holidays import EXTRA_SETTING_KEY, table_with_extra
    from baihe_desk.services.deadlines.periods import deadline_text

    table = table_with_extra(_court_setting(paths, settings, EXTRA_SETTING_KEY))
    print(deadline_text(args.start, days=args.days, months=args.months, working_days=args.working_days,
                        table=table))
    return 0


def cmd_fee(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.filing.fees import fee_text

    overrides = _court_setting(paths, settings, "fees.overrides")
    print(fee_text(args.kind, args.amount, procedure=args.procedure, mediated=args.mediated,
                   withdrawn=args.withdrawn, overrides=overrides))
    return 0


def cmd_server(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    if args.server_command == "import-sqlite":
        from baihe_desk.services.admin.server_import import import_sqlite

        def progress(table: str, rows: int) -> None:
            print(f"\r正在迁移 {table}：{rows:,} 行", end="", file=sys.stderr, flush=True)

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


COMMANDS = {
    "deadline": cmd_deadline, "fee": cmd_fee,
    "demo": cmd_demo, "cases": cmd_cases, "check": cmd_check, "backup": cmd_backup, "restore": cmd_restore,
    "render": cmd_render, "server": cmd_server, "law": cmd_law, "bundle": cmd_bundle,
}
