"""``baihe-desk bundle …`` — case bundles from the command line, behind a desk login, audited.

    baihe-desk bundle identity [--name NAME --kind court|laptop|station] [--card-out FILE]
    baihe-desk bundle desks
    baihe-desk bundle register CARD --fingerprint "1234 5678 …" [--name NAME]
    baihe-desk bundle revoke DESK [--reason TEXT]
    baihe-desk bundle export --cases 案号,收件号,… --to DESK --out FILE [--due YYYY-MM-DD]
    baihe-desk bundle import FILE [--dry-run] [--keep-ours | --take-theirs] [--decide TABLE:ID=ours|theirs …]
    baihe-desk bundle inspect FILE
    baihe-desk bundle encrypt-db          (the laptop: encrypt this desk's SQLite file and its backups)

Every command logs in first: ``--user NAME`` and the password from ``BAIHE_DESK_PASSWORD`` (else asked for
without echo). DESK is a registered desk's name, its id or the first digits of its fingerprint.
"""

from __future__ import annotations

import sys
import uuid
from datetime import date
from pathlib import Path

from baihe_desk.errors import KnownError

ENV_PASSWORD = "BAIHE_DESK_PASSWORD"


def add_parser(sub) -> None:  # type: ignore[no-untyped-def]
    b = sub.add_parser("bundle", help="案件包：借出、交回、查看（签名加密的 .baihe 文件）")
    b.add_argument("--user", help="登录用户名（密码取自环境变量 BAIHE_DESK_PASSWORD，否则提示输入）")
    bs = b.add_subparsers(dest="bundle_command", required=True)
    i = bs.add_parser("identity", help="本工作台的身份与指纹（首次使用时生成密钥）")
    i.add_argument("--name", default="")
    i.add_argument("--kind", choices=["court", "laptop", "station"], default="court")
    i.add_argument("--card-out", type=Path, help="把本工作台的身份卡写入文件，交给对方管理员登记")
    bs.add_parser("desks", help="已登记的工作台")
    r = bs.add_parser("register", help="登记另一工作台（核对对方念出的指纹）")
    r.add_argument("card", type=Path)
    r.add_argument("--fingerprint", required=True, help="对方念出的 20 位指纹")
    r.add_argument("--name")
    v = bs.add_parser("revoke", help="撤销工作台（其案件包一律不予接收）")
    v.add_argument("desk")
    v.add_argument("--reason", default="")
    e = bs.add_parser("export", help="导出案件包（法院：借出；笔记本、服务站：交回）")
    e.add_argument("--cases", required=True, help="案号、收件号，以逗号分隔")
    e.add_argument("--to", required=True, help="接收的工作台")
    e.add_argument("--out", required=True, type=Path)
    e.add_argument("--due", help="应归还日期 YYYY-MM-DD（借出时，默认 30 天）")
    m = bs.add_parser("import", help="导入案件包（先核验签名、接收方、校验值和序号）")
    m.add_argument("file", type=Path)
    m.add_argument("--dry-run", action="store_true", help="只显示将要发生的变化，不写入")
    g = m.add_mutually_exclusive_group()
    g.add_argument("--keep-ours", action="store_true", help="所有冲突都保留本机的内容")
    g.add_argument("--take-theirs", action="store_true", help="所有冲突都采用对方的内容")
    m.add_argument("--decide", action="append", default=[], metavar="TABLE:ID=ours|theirs")
    n = bs.add_parser("inspect", help="查看案件包的清单和签名者（不解密个人信息）")
    n.add_argument("file", type=Path)
    bs.add_parser("encrypt-db", help="加密本机数据库及其备份（SQLCipher，密钥存于系统凭据存储）；须先关闭工作台")


def login(db, username: str | None):  # type: ignore[no-untyped-def]
    """The desk login of the other data commands (cli_door): audited, and refused until an initial
    password is changed."""
    from baihe_desk.cli_door import desk_login

    return desk_login(db, username, "bundle")


def _desk(session, ref: str):  # type: ignore[no-untyped-def]
    from baihe_desk.services.exchange.identity import desks

    digits = "".join(ch for ch in ref if ch.isdigit())
    hits = [d for d in desks(session) if not d.is_self and (
        d.name == ref or str(d.id) == ref or (len(digits) >= 4 and d.fingerprint.replace(" ", "").startswith(digits)))]
    if len(hits) != 1:
        raise KnownError(f"没有找到唯一的工作台“{ref}”（用 baihe-desk bundle desks 查看已登记的工作台）。")
    return hits[0]


def run(args, paths, settings) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.storage.keystore import Keystore
    from baihe_desk.storage.startup import open_database

    db = open_database(paths, settings)
    try:
        user = login(db, args.user)
        keystore = Keystore(paths.root)
        try:
            return COMMANDS[args.bundle_command](args, db, user, keystore, paths)
        except OSError as exc:  # a file named on the command line: missing, unreadable, disk full
            raise KnownError(f"无法读写文件 {exc.filename or ''}：{exc.strerror or exc}") from exc
    finally:
        db.dispose()


def _identity(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.models.exchange import Desk
    from baihe_desk.services.exchange import identity

    with db.transaction() as s:
        me = identity.own_identity(s, keystore)
        if me is None:
            identity._require_admin(s, s.get(type(user), user.id), "生成工作台身份")
            me = identity.ensure_identity(s, keystore, s.get(type(user), user.id), name=args.name, kind=args.kind)
        desk = s.get(Desk, me.desk.id)
        print(f"本工作台：{desk.name}（{desk.kind.label}）")
        print(f"指纹：{desk.fingerprint}")
        print(f"密钥保管：{keystore.backend_label()}")
        if args.card_out:
            args.card_out.write_bytes(identity.card(desk))
            print(f"身份卡已写入 {args.card_out}")
    return 0


def _desks(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.exchange.identity import desks

    with db.session() as s:
        for d in desks(s):
            state = "本工作台" if d.is_self else ("有效" if d.active else f"已撤销 {d.revoked_at:%Y-%m-%d}")
            print(f"{d.name}\t{d.kind.label}\t{d.fingerprint}\t{state}")
    return 0


def _register(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.exchange import identity

    info = identity.read_card(args.card.read_bytes())
    with db.transaction() as s:
        desk = identity.register_desk(s, s.get(type(user), user.id), info, args.fingerprint, name=args.name)
        print(f"已登记：{desk.name}（{desk.kind.label}），指纹 {desk.fingerprint}")
    return 0


def _revoke(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.exchange import identity

    with db.transaction() as s:
        desk = identity.revoke_desk(s, s.get(type(user), user.id), _desk(s, args.desk).id, args.reason)
        print(f"已撤销：{desk.name}")
    return 0


def _export(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.common.documents import find_case
    from baihe_desk.services.exchange.export import export_bundle

    due = None
    if args.due:
        try:
            due = date.fromisoformat(args.due)
        except ValueError:
            raise KnownError("应归还日期的格式应为 YYYY-MM-DD。") from None
    if args.out.exists():
        raise KnownError(f"文件 {args.out} 已存在，未覆盖。")
    with db.transaction() as s:
        ids = [find_case(s, ref.strip()).id for ref in args.cases.replace("，", ",").split(",") if ref.strip()]
        result = export_bundle(s, s.get(type(user), user.id), keystore, ids, _desk(s, args.to).id, due_on=due,
                               paths=paths)
        args.out.write_bytes(result.data)
    print(result.summary)
    print(f"案件包：{args.out}（编号 {result.bundle_id}）")
    return 0


def _decisions(args, plan) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    for c in plan.conflicts:
        if args.keep_ours:
            out[c.key] = "ours"
        elif args.take_theirs:
            out[c.key] = "theirs"
    for item in args.decide:
        key, _, choice = item.partition("=")
        if choice not in ("ours", "theirs"):
            raise KnownError(f"--decide {item}：应为 表:编号=ours 或 =theirs。")
        out[key] = choice
    return out


def _import(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.exchange.checkin import import_bundle

    data = args.file.read_bytes()
    with db.transaction() as s:
        preview = import_bundle(s, s.get(type(user), user.id), keystore, data, dry_run=True)
    plan = preview.plan
    print(f"来自：{plan.opened.sender.name}（指纹 {plan.opened.sender.fingerprint}），签名有效。")
    print(f"将要导入：{plan.text}")
    for c in plan.conflicts:
        print(f"  冲突 {c.key}：{c.describe()}")
        for f in c.fields:
            print(f"      {f.label}：本机 {f.ours!r} / 对方 {f.theirs!r}")
    decisions = _decisions(args, plan)
    if args.dry_run:
        print("（仅预览，未写入）")
        return 0
    undecided = [c for c in plan.conflicts if c.key not in decisions]
    if undecided:
        print(f"有 {len(undecided)} 处冲突需要决定：用 --keep-ours、--take-theirs 或 --decide 表:编号=ours|theirs。未导入。",
              file=sys.stderr)
        return 3
    with db.transaction() as s:
        result = import_bundle(s, s.get(type(user), user.id), keystore, data, decisions=decisions, paths=paths)
    print(f"已导入（案件包 {uuid.UUID(result.plan.opened.manifest['bundle_id'])}）。")
    for note in result.notes:
        print(f"  {note}")
    return 0


def _inspect(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    from baihe_desk.services.common import audit
    from baihe_desk.services.exchange.verify import inspect

    data = args.file.read_bytes()
    with db.transaction() as s:
        result = inspect(s, data)
        audit.record(s, s.get(type(user), user.id), "bundle.inspect", entity="bundle",
                     entity_id=result.lines[0].split("：", 1)[1])
    for line in result.lines:
        print(line)
    return 0 if result.signature_ok else 2


def _encrypt_db(args, db, user, keystore, paths) -> int:  # type: ignore[no-untyped-def]
    """Encrypt this desk's SQLite file and backups, then point local-settings.json at the encrypted file."""
    from baihe_desk.config import LocalSettings
    from baihe_desk.services.common import audit
    from baihe_desk.storage import encrypted
    from baihe_desk.storage.backup import list_backups

    if user.role.value != "admin":
        raise KnownError("只有管理员可以加密本机数据库。")
    settings = LocalSettings.load(paths)
    if settings.database_url == encrypted.MARKER:
        raise KnownError("本机数据库已经加密。")
    if settings.database_url or db.sqlite_path is None:
        raise KnownError("本机使用数据库服务器，加密本机文件不适用（服务器的保护见服务器设置）。")
    with db.transaction() as s:
        audit.record(s, s.get(type(user), user.id), "storage.encrypt", entity="database",
                     after={"backend": keystore.backend_label()})
    db.dispose()
    done = encrypted.encrypt_in_place(paths.database, [b.path for b in list_backups(paths)], keystore)
    settings.database_url = encrypted.MARKER
    settings.save(paths)
    print(f"已加密 {len(done)} 个文件（数据库及其备份）。密钥保管：{keystore.backend_label()}")
    print("请妥善保管本机账户：没有密钥，数据库文件无法打开。")
    return 0


COMMANDS = {"encrypt-db": _encrypt_db, "identity": _identity, "desks": _desks, "register": _register, "revoke": _revoke,
            "export": _export, "import": _import, "inspect": _inspect}
