"""Smoke test of the frozen desk: what a new user does first, from the frozen folder, on a fresh data folder.

    .venv/bin/python packaging/smoke.py [--dist dist/baihe-desk] [--cases 200] [--user admin]

Run with the project's virtual environment (Linux CI: ``.ci/run``; Windows CI:
``.github/workflows/windows.yml``): the frozen desk does the work, the venv is the reference.

1. ``demo``, ``check`` and ``cases`` through ``baihe-desk-cli`` (migrations from files, resources,
   the demo loader, the audit chain);
2. ``render`` of every document kind in PDF and DOCX, each for a case of the demo data that the venv's
   own desk renders it for; the frozen files are checked on their own (every PDF font embedded — with
   ``pdffonts`` too when poppler is installed — the title and the case in the text, ``w:eastAsia`` fonts
   in the DOCX) and against the venv's rendering of the same document (the same text);
3. the window: ``baihe-desk`` (the windowed executable) started offscreen until the login window is
   shown (``BAIHE_DESK_PROBE_LOGIN``, see ``baihe_desk/ui/common/start_probe.py``), three times, beside
   the venv's ``python -m baihe_desk`` started the same way;
4. the portable mode: a marker file beside the executable, ``demo`` without ``--data-dir``, the
   database in ``BaiheDesk-data`` beside it (both removed afterwards);
5. the folder's size and the start-to-login times, printed.

A kind for which the demo data hold no case the venv can render is listed as NOT COVERED (it fails
with ``--strict-kinds``). Data commands that will need a desk login: ``--user NAME`` passes
``--user NAME`` to them and ``BAIHE_DESK_PASSWORD`` (default ``Baihe7-NAME``, the password of the
demo loaded with ``--seed 7``) in
their environment; both in :func:`login_args` / :func:`desk_env`, nowhere else.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = os.name == "nt"
EXE_SUFFIX = ".exe" if WINDOWS else ""
PROBE_ENV = "BAIHE_DESK_PROBE_LOGIN"
GUI_TIMEOUT = 120
SEED = 7  # the demo's seed; its users' passwords are Baihe<seed>-<user> (services/admin/demo.py)
failures: list[str] = []


def say(msg: str) -> None:
    print(f"[smoke] {msg}", flush=True)


def fail(msg: str) -> None:
    failures.append(msg)
    print(f"[smoke] FAIL {msg}", flush=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- running the frozen desk ----------------------------------------------------------------------

class Desk:
    def __init__(self, dist: Path, data: Path, user: str | None):
        self.cli = dist / f"baihe-desk-cli{EXE_SUFFIX}"
        self.gui = dist / f"baihe-desk{EXE_SUFFIX}"
        self.data = data
        self.user = user

    def login_args(self) -> list[str]:
        """The desk login of data commands (issue 17): ``--user`` with the password in the environment."""
        return ["--user", self.user] if self.user else []

    def desk_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAIHE_DESK_", "PYTHON"))}
        env["PYTHONIOENCODING"] = "utf-8"
        if self.user:
            env["BAIHE_DESK_PASSWORD"] = os.environ.get("BAIHE_DESK_PASSWORD", f"Baihe{SEED}-{self.user}")
        env.update(extra or {})
        return env

    def run(self, *args: str, login: bool = True, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.cli), "--data-dir", str(self.data), *(self.login_args() if login else []), *args]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                             env=self.desk_env(), timeout=timeout)
        say(f"{' '.join(args[:3])}: exit {res.returncode} in {time.perf_counter() - t0:.1f} s")
        if res.returncode != 0:
            fail(f"{' '.join(args)} exited {res.returncode}:\n{res.stdout[-2000:]}\n{res.stderr[-3000:]}")
        return res


# -- checking documents -----------------------------------------------------------------------------

def _font_dicts(resources, seen: set[int]):  # type: ignore[no-untyped-def]
    """Every font dictionary reachable from a page's resources (form XObjects included)."""
    if resources is None:
        return
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            yield ref.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Form" and id(obj) not in seen:
                seen.add(id(obj))
                yield from _font_dicts(obj.get("/Resources"), seen)


def pdf_facts(path: Path) -> tuple[str, dict[str, bool]]:
    """(text, {font name: embedded}) read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in _font_dicts(page.get("/Resources"), set()):
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else None
            embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return "".join(page.extract_text() or "" for page in reader.pages), fonts


def pdffonts_embedded(path: Path) -> dict[str, bool] | None:
    """pdffonts' own reading (poppler), when it is installed: {name: emb column == yes}."""
    tool = shutil.which("pdffonts")
    if tool is None:
        return None
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    found = {}
    for line in out[2:]:
        cols = line.split()
        if len(cols) >= 6:
            found[cols[0]] = cols[-5] == "yes"
    return found


def docx_facts(path: Path) -> tuple[str, set[str]]:
    """(the text of word/document.xml, the East Asian fonts its runs and styles name in ``w:rFonts``)."""
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        styles = zf.read("word/styles.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", body))
    return text, set(re.findall(r'<w:rFonts\b[^>]*\bw:eastAsia="([^"]+)"', body + styles))


def check_pair(kind: str, title: str, ref: str, frozen: dict[str, Path], venv: dict[str, Path]) -> None:
    pdf_text, fonts = pdf_facts(frozen["pdf"])
    if not fonts or not all(fonts.values()):
        fail(f"{kind}: fonts not embedded in the PDF: {fonts}")
    poppler = pdffonts_embedded(frozen["pdf"])
    if poppler is not None and (not poppler or not all(poppler.values())):
        fail(f"{kind}: pdffonts says fonts are not embedded: {poppler}")
    if squash(title) not in squash(pdf_text):
        fail(f"{kind}: the title {title} is not in the PDF's text")
    venv_text, _ = pdf_facts(venv["pdf"])
    if squash(pdf_text) != squash(venv_text):
        fail(f"{kind}: the frozen PDF's text differs from the venv's")
    if squash(ref) not in squash(pdf_text) and squash(ref) not in squash(venv_text):
        say(f"  ({kind}: {ref} not printed in the document)")
    docx_text, east_asia = docx_facts(frozen["docx"])
    if squash(title) not in squash(docx_text):
        fail(f"{kind}: the title {title} is not in the DOCX")
    if not east_asia:
        fail(f"{kind}: no East Asian font (w:rFonts w:eastAsia) in the DOCX")
    if docx_text != docx_facts(venv["docx"])[0]:
        fail(f"{kind}: the frozen DOCX's text differs from the venv's")
    say(f"  {kind} ({ref}): {len(squash(pdf_text))} characters, fonts embedded: {', '.join(sorted(fonts))}"
        + (" (pdffonts agrees)" if poppler else "") + f"; DOCX East Asian fonts: {', '.join(sorted(east_asia))}")


def reference_renders(data: Path, refs: list[str], out: Path,
                      username: str = "admin") -> dict[str, tuple[str, str, dict[str, Path]]]:
    """For every kind: (title, case, files) of the first demo case the venv's desk renders it for, as the demo
    user ``username`` (rendering needs a user who may); a kind without one maps to (title, '', {}) with the
    reason in place of the case."""
    from sqlalchemy import select

    from baihe_desk.config import LocalSettings, Paths
    from baihe_desk.errors import KnownError
    from baihe_desk.models import User
    from baihe_desk.services.common.documents import KINDS, render_to_dir
    from baihe_desk.services.statistics.export import REPORT_KINDS, render_report_to_dir
    from baihe_desk.storage.startup import open_database

    paths = Paths(data)
    db = open_database(paths, LocalSettings.load(paths), backup=False)
    chosen: dict[str, tuple[str, str, dict[str, Path]]] = {}
    try:
        with db.transaction() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            for kind in KINDS:
                title = KINDS[kind].title
                if kind in REPORT_KINDS:  # 周通报 / 月分析: a period of the demo data, not a case
                    key = period_key(kind)
                    files = render_report_to_dir(session, user, kind, key, ["both"], out / kind, paths=paths)
                    chosen[kind] = (title, key, {p.suffix.lstrip("."): p for p in files})
                    continue
                reason = "no case"
                for ref in refs:
                    try:
                        files = render_to_dir(session, user, kind, ref, ["both"], out / kind, paths=paths)
                    except KnownError as exc:
                        reason = exc.message
                        continue
                    chosen[kind] = (title, ref, {p.suffix.lstrip("."): p for p in files})
                    break
                else:
                    chosen[kind] = (title, reason, {})
    finally:
        db.dispose()
    return chosen


REPORTS = ("weekly-bulletin", "monthly-analysis")


def period_key(kind: str) -> str:
    """This week / this month: the demo data put their period events there (services/admin/demo_sample.py)."""
    import datetime

    today = datetime.date.today()
    if kind == "weekly-bulletin":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{today:%Y-%m}"


# -- the window -------------------------------------------------------------------------------------

def time_to_login(cmd: list[str], env: dict[str, str], probe: Path) -> tuple[float, dict]:
    probe.unlink(missing_ok=True)
    env = dict(env, **{PROBE_ENV: str(probe)})
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.time()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
                         timeout=GUI_TIMEOUT)
    if res.returncode != 0 or not probe.exists():
        raise RuntimeError(f"{cmd[0]} exited {res.returncode} without reaching the login window:\n"
                           f"{res.stdout[-1500:]}\n{res.stderr[-3000:]}")
    facts = json.loads(probe.read_text(encoding="utf-8").splitlines()[-1])
    return facts["shown"] - t0, facts


def check_window(desk: Desk, work: Path, rounds: int) -> None:
    probe = work / "probe.jsonl"
    frozen_cmd = [str(desk.gui), "--data-dir", str(desk.data)]
    venv_cmd = [sys.executable, "-m", "baihe_desk", "--data-dir", str(desk.data)]
    venv_env = {k: v for k, v in os.environ.items() if not k.startswith("BAIHE_DESK_")}
    frozen_times, venv_times = [], []
    try:
        for _ in range(rounds):
            seconds, facts = time_to_login(frozen_cmd, desk.desk_env(), probe)
            frozen_times.append(seconds)
            venv_times.append(time_to_login(venv_cmd, venv_env, probe)[0])
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        fail(f"window: {exc}")
        return
    if not facts.get("visible") or "登录" not in facts.get("title", ""):
        fail(f"window: the login window was not shown: {facts}")
    if facts.get("qt_cancel") != "取消":
        fail(f"window: Qt's own strings are not in Chinese (translations missing): {facts.get('qt_cancel')!r}")
    if facts.get("pdf_and_print") is not True:
        fail(f"window: QtPdf / QtPrintSupport do not load: {facts.get('pdf_and_print')}")
    say(f"window: {facts['title']} on {facts['platform']}, Qt strings {facts['qt_cancel']}, "
        f"QtPdf+QtPrintSupport {facts['pdf_and_print']}")
    say(f"start to login window (median of {rounds}): frozen {statistics.median(frozen_times):.2f} s "
        f"[{', '.join(f'{t:.2f}' for t in frozen_times)}], venv {statistics.median(venv_times):.2f} s "
        f"[{', '.join(f'{t:.2f}' for t in venv_times)}]")


def check_portable(desk: Desk, dist: Path) -> None:
    """The marker file beside the executable puts the data folder beside it (a judge's USB stick)."""
    marker, data = dist / "baihe-desk-portable.txt", dist / "BaiheDesk-data"
    if data.exists():
        fail(f"portable: {data} exists before the test")
        return
    marker.write_text("便携模式：数据保存在程序旁的 BaiheDesk-data 文件夹。\n", encoding="utf-8")
    try:
        cmd = [str(desk.cli), "demo", "--cases", "3", "--seed", "7"]
        res = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                             env=desk.desk_env(), timeout=300)
        if res.returncode != 0 or not (data / "baihe-desk.sqlite3").is_file():
            fail(f"portable: no database in {data} (exit {res.returncode}):\n{res.stdout}\n{res.stderr[-2000:]}")
        else:
            say(f"portable: data folder {data.name} beside the executable")
    finally:
        marker.unlink(missing_ok=True)
        shutil.rmtree(data, ignore_errors=True)


def folder_size(dist: Path) -> int:
    return sum(p.stat().st_size for p in dist.rglob("*") if p.is_file() and not p.is_symlink())


# -- main -----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=ROOT / "dist" / "baihe-desk")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="window starts of each kind, for the median")
    ap.add_argument("--user", help="log data commands in as this demo user (desk login, issue 17)")
    ap.add_argument("--strict-kinds", action="store_true", help="fail when a document kind is not covered")
    ap.add_argument("--keep", action="store_true", help="keep the data folder and the documents")
    args = ap.parse_args(argv)

    dist = args.dist.resolve()
    if not (dist / f"baihe-desk-cli{EXE_SUFFIX}").exists():
        say(f"no frozen desk in {dist}: run `python3 tools/bootstrap.py build` first")
        return 2
    size = folder_size(dist)
    say(f"frozen folder {dist}: {size / 2**20:.0f} MiB in {sum(1 for p in dist.rglob('*') if p.is_file())} files")

    work = Path(tempfile.mkdtemp(prefix="baihe-smoke-"))
    data = work / "法院 数据"  # a fresh data folder, with Chinese and a space in its path
    desk = Desk(dist, data, args.user)
    started = time.perf_counter()
    try:
        res = desk.run("demo", "--cases", str(args.cases), "--seed", str(SEED), login=False)
        if res.returncode == 0 and f"Baihe{SEED}-" not in res.stdout:
            fail("demo: no demo users were printed")
        res = desk.run("check")
        if res.returncode == 0 and "检查通过" not in res.stdout:
            fail(f"check: not passed:\n{res.stdout}")
        res = desk.run("cases", "--json", "--limit", "1000")
        refs: list[str] = []
        if res.returncode == 0:
            listing = json.loads(res.stdout)
            refs = [c["number"] for c in listing["cases"]]
            if listing["total"] != args.cases or len(refs) != args.cases:
                fail(f"cases: {listing['total']} cases listed, {args.cases} loaded")
            say(f"cases: {listing['total']} cases, e.g. {refs[0] if refs else '—'}")

        chosen = reference_renders(data, refs, work / "venv-documents", args.user or "admin")
        uncovered = []
        for kind, (title, ref, venv_files) in chosen.items():
            if not venv_files:
                uncovered.append(f"{kind} ({title}): {ref}")
                continue
            out = work / "frozen-documents" / kind
            which = ["--week" if kind == "weekly-bulletin" else "--month", ref] if kind in REPORTS else ["--case", ref]
            res = desk.run("render", kind, *which, "--format", "both", "--out", str(out))
            if res.returncode != 0:
                continue
            frozen_files = {Path(line).suffix.lstrip("."): Path(line) for line in res.stdout.split("\n") if line}
            if set(frozen_files) != {"pdf", "docx"}:
                fail(f"render {kind}: expected a PDF and a DOCX, got {res.stdout!r}")
                continue
            check_pair(kind, title, ref, frozen_files, venv_files)
        for line in uncovered:
            (fail if args.strict_kinds else say)(f"NOT COVERED render {line}")

        check_window(desk, work, args.rounds)
        check_portable(desk, dist)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    say(f"smoke test took {time.perf_counter() - started:.0f} s; frozen folder {size / 2**20:.0f} MiB")
    if failures:
        say(f"{len(failures)} failure(s)")
        return 1
    say("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
