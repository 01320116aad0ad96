"""Entry script of the frozen desk (``packaging/baihe-desk.spec``): the same as ``python -m baihe_desk``."""

import multiprocessing
import os
import sys

from baihe_desk.cli import main

if __name__ == "__main__":
    # The document batch starts worker processes from this executable: freeze_support lets such a
    # child run its task instead of starting a second desk.
    multiprocessing.freeze_support()
    # The windowed Windows executable has no console: sys.stdout and sys.stderr are None there, and a
    # stray print (a warning, a command given to the wrong executable) would end the desk.
    for _name in ("stdout", "stderr"):
        if getattr(sys, _name) is None:
            setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
    sys.exit(main())
