import multiprocessing

from baihe_desk.cli import main

if __name__ == "__main__":
    # A frozen Windows build (PyInstaller) starts the document batch's worker processes from this
    # executable: freeze_support lets such a child run its task instead of a second desk.
    multiprocessing.freeze_support()
    raise SystemExit(main())
