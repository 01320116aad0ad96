"""The command line is a door like the window: a desk login for every command that reads or
changes case data, users, backups or documents, and an audit record of what the command did.

``--user NAME`` names the desk account; the password comes from the environment variable
``BAIHE_DESK_PASSWORD`` or, on a terminal, from a prompt that does not echo — never from a
command-line argument (those are visible to every account on the machine in the process list).
The login is the desk's own (``auth.login``): the same lock-out, the same audit records, the same
roles. Other commands (``bundle`` …) call :func:`desk_login` and :func:`audit_command` the same way.

Open without a login: ``fee`` and ``deadline`` (calculators that never open the database), ``law``,
``check`` (an IT person must be able to run it after a crash; it prints record ids, never personal
data), ``demo`` (it loads only into an empty database, see ``demo_mark.demo_refusal``).
``server init`` and ``server import-sqlite`` are for the court's server administrator: the
PostgreSQL owner's credentials (``PGPASSWORD``/pgpass) are their door; ``import-sqlite``
additionally needs a desk administrator of the file it moves.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baihe_desk.errors import KnownError

if TYPE_CHECKING:
    from baihe_desk.models import User
    from baihe_desk.services.common.permissions import Perm
    from baihe_desk.storage.db import Database

PASSWORD_ENV = "BAIHE_DESK_PASSWORD"
AUDIT_CASE_IDS = 500  # at most this many case ids in one command's audit record (then the count)


class LoginRequired(KnownError):
    title = "需要登录"


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """``--user NAME`` on a sub-command (also accepted before the command)."""
    parser.add_argument("--user", metavar="用户名", default=argparse.SUPPRESS,
                        help=f"工作台账号（密码取自环境变量 {PASSWORD_ENV}，或在终端提示输入）")


def read_password(username: str, *, env: Mapping[str, str] | None = None,
                  prompt: Callable[[str], str] = getpass.getpass, interactive: bool | None = None) -> str:
    env = os.environ if env is None else env
    if env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    if not interactive:
        raise LoginRequired(f"需要用户 {username} 的密码：请在终端中运行此命令以便输入密码，"
                            f"或设置环境变量 {PASSWORD_ENV}。密码不能写在命令行参数中。")
    return prompt(f"用户 {username} 的密码：")


def desk_login(db: Database, username: str | None, command: str, perm: Perm | None = None, *,
               env: Mapping[str, str] | None = None) -> User:
    """Log ``username`` in (audited like the window's login) and check ``perm``; returns the user,
    detached from any session. Raises a KnownError (exit code 1) otherwise."""
    from baihe_desk.services.common import auth
    from baihe_desk.services.common.demo_mark import is_demo_database
    from baihe_desk.services.common.permissions import require

    if not username:
        raise LoginRequired(f"命令 {command} 需要登录工作台账号：请加 --user 用户名"
                            f"（密码取自环境变量 {PASSWORD_ENV}，或在终端提示输入）。")
    password = read_password(username, env=env)
    with db.transaction() as s:
        user = auth.login(s, username, password, channel="命令行")
        if user.must_change_password and not is_demo_database(s):
            raise LoginRequired("该账号须先修改初始密码：请在工作台登录并修改密码后再使用命令行。")
        if perm is not None:
            require(s, user, perm)
        s.expunge(user)
    return user


def audit_command(db: Database, user: User | None, command: str, *, cases: Iterable[Any] = (),
                  output: Path | Iterable[Path] | None = None, **details: Any) -> None:
    """One audit record per command: who, what, which cases, where the output went."""
    from baihe_desk.services.common import audit

    ids = [str(c) for c in cases]
    after: dict[str, Any] = {"command": command, **details}
    if ids:
        after["case_count"] = len(ids)
        after["cases"] = ids[:AUDIT_CASE_IDS]
    if output is not None:
        outs = [output] if isinstance(output, (str, Path)) else list(output)
        after["output"] = [str(Path(o).resolve()) for o in outs]
    with db.transaction() as s:
        audit.record(s, user, f"cli.{command}", entity="command", entity_id=command, after=after)
