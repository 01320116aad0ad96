"""The Qt binding must not corrupt the interpreter: PySide6 6.12.0 on Python 3.11 dropped a reference
to True/None on every signal emission and aborted the app after about a thousand emissions."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.fake_today import child_env


def test_signal_emission_keeps_reference_counts():
    code = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
        app = QCoreApplication([])
        class O(QObject):
            s = Signal(object)
            b = Signal(bool)
        o = O()
        o.s.connect(lambda v: None)
        o.b.connect(lambda v: None)
        QTimer.singleShot(0, app.quit)
        app.exec()
        before = sys.getrefcount(True), sys.getrefcount(None)
        for _ in range(20000):  # a leak of one reference per emission aborts well before this
            o.s.emit(None)
            o.b.emit(True)
        after = sys.getrefcount(True), sys.getrefcount(None)
        # other objects may come and go, but not 20,000 references
        print(all(abs(x - y) < 100 for x, y in zip(before, after)) or sys.version_info >= (3, 12))
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env=child_env({"QT_QPA_PLATFORM": "offscreen", **__import__("os").environ}))
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == "True"
