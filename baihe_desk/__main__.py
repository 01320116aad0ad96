import sys

from baihe_desk.cli import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A frozen Windows build (PyInstaller) starts the document batch's worker processes from this
        # executable: freeze_support lets such a child run its task instead of a second desk. Only
        # there: importing multiprocessing costs every start ~7 ms before the login window (issue 21).
        import multiprocessing

        multiprocessing.freeze_support()
    raise SystemExit(main())
