"""No POSIX-only call on a path the desk runs on a Windows court PC.

The run-time code (``baihe_desk/`` and the frozen entry script) is read with ``ast``: a call or
import that exists only on POSIX (``os.fork``, ``fcntl``, ``signal.SIGKILL`` …) or a hard-coded
POSIX path (``/tmp``, ``/dev/null`` …) must sit under a platform test (``sys.platform``,
``os.name``, ``platform.system()``, ``hasattr(os, …)``, a ``platform`` / ``WINDOWS`` flag), in a
``try`` that catches ImportError / AttributeError, or after an early platform ``return`` in the same
function. The scanner is tested on small samples first, so a finding-free result means something.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = [*sorted((ROOT / "baihe_desk").rglob("*.py")), ROOT / "packaging" / "baihe_desk_main.py"]

POSIX_MODULES = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix", "crypt", "syslog",
                 "spwd", "nis", "readline"}
POSIX_ATTRS = {
    "os": {"fork", "forkpty", "setsid", "setpgid", "getpgid", "killpg", "getuid", "geteuid", "getgid",
           "getegid", "setuid", "setgid", "chown", "lchown", "fchown", "mkfifo", "mknod", "statvfs", "uname",
           "getloadavg", "nice", "pipe2", "sched_getaffinity", "sync", "sysconf", "wait3", "wait4",
           "WNOHANG", "O_NOFOLLOW", "getpwuid"},
    "signal": {"SIGKILL", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGQUIT", "SIGPIPE",
               "SIGSTOP", "SIGCONT", "alarm", "pause", "setitimer", "siginterrupt"},
}
POSIX_PATHS = ("/tmp", "/var/", "/dev/", "/usr/", "/etc/", "/proc/", "/home/")
PLATFORM_WORDS = ("sys.platform", "os.name", "platform.system", "hasattr(", "platform ==", "platform !=",
                  "platform.startswith", "WINDOWS", "POSIX", "darwin", "win32")


def _is_platform_test(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return any(w in text for w in PLATFORM_WORDS)


def _guarded_by_try(node: ast.Try, path: bool) -> bool:
    """A try that catches what the call raises on Windows (a POSIX path opened: an OSError)."""
    caught = ("ImportError", "ModuleNotFoundError", "AttributeError", "Exception", *(("OSError",) if path else ()))
    for handler in node.handlers:
        names = ast.unparse(handler.type) if handler.type is not None else "BaseException"
        if any(n in names for n in caught):
            return True
    return False


def _early_platform_return(func: ast.AST, line: int) -> bool:
    """A statement ``if <platform test>: … return`` before ``line`` in the same function."""
    for stmt in getattr(func, "body", []):
        if stmt.lineno >= line:
            break
        if isinstance(stmt, ast.If) and _is_platform_test(stmt.test) and any(
                isinstance(n, ast.Return | ast.Raise) for n in ast.walk(stmt)):
            return True
    return False


def scan(source: str, name: str = "<sample>") -> list[str]:
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent

    def guarded(node: ast.AST, path: bool) -> bool:
        child, cur = node, parents.get(node)
        while cur is not None:
            if isinstance(cur, ast.If | ast.IfExp | ast.While) and _is_platform_test(cur.test):
                return True
            if isinstance(cur, ast.BoolOp) and any(_is_platform_test(v) for v in cur.values if v is not child):
                return True
            if isinstance(cur, ast.Try) and child in cur.body and _guarded_by_try(cur, path):
                return True
            if isinstance(cur, ast.FunctionDef | ast.AsyncFunctionDef) and _early_platform_return(cur, node.lineno):
                return True
            child, cur = cur, parents.get(cur)
        return False

    findings = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Import):
            bad = [a.name for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
            what = f"import {', '.join(bad)}" if bad else None
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in POSIX_MODULES:
                what = f"from {node.module} import"
            elif node.module in POSIX_ATTRS and {a.name for a in node.names} & POSIX_ATTRS[node.module]:
                what = f"from {node.module} import {', '.join(a.name for a in node.names)}"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in POSIX_ATTRS.get(node.value.id, ()):
                what = f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith(POSIX_PATHS) and not isinstance(parents.get(node), ast.Expr):
                what = f"path {node.value!r}"
        if what and not guarded(node, what.startswith("path")):
            findings.append(f"{name}:{node.lineno}: {what}")
    return findings


def test_scanner_finds_posix_only_calls_and_accepts_guarded_ones():
    bad = """
import fcntl
import os, signal
from os import fork
def f(p):
    os.kill(p, signal.SIGKILL)
    os.getuid()
    try:
        os.fork()
    except OSError:
        pass
    open("/tmp/x", "w")
    return os.getloadavg()
"""
    found = scan(bad)
    assert sorted(f.split(": ", 1)[1] for f in found) == sorted([
        "import fcntl", "from os import fork", "signal.SIGKILL", "os.getuid", "os.fork", "path '/tmp/x'", "os.getloadavg"])

    good = '''
"""Docstrings may mention /tmp."""
import os, signal, sys, tempfile
try:
    import fcntl
except ImportError:
    fcntl = None
def a():
    if sys.platform != "win32":
        os.killpg(0, signal.SIGKILL)
    return os.getuid() if hasattr(os, "getuid") else 0
def b(platform):
    if platform == "win32":
        return ["C:/Windows/Fonts"]
    return ["/usr/share/fonts"]
def c():
    try:
        open("/proc/cpuinfo").read()
    except OSError:
        pass
    return tempfile.gettempdir(), os.name == "posix" and os.geteuid() == 0
'''
    assert scan(good) == []


def test_runtime_code_has_no_unguarded_posix_only_call():
    findings = []
    for path in RUNTIME:
        findings += scan(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert findings == [], "\n".join(findings)
    assert len(RUNTIME) > 100  # the whole package was read
