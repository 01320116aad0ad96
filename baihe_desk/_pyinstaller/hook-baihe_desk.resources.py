"""Ship resources/ (checklists, wording templates, holidays, 案由, fees, case types, fonts) as data files.

Destinations are computed here, below ``baihe_desk/resources``: ``collect_data_files`` computes them
from where the package was found, which for an editable install (resources/ mapped into the package
by setuptools' import hook) is the checkout's ``resources/`` itself, and the files would land at the
top of the frozen folder.
"""

import os

from PyInstaller.utils.hooks import get_package_paths

_base, _package_dir = get_package_paths("baihe_desk.resources")

datas = []
for _dirpath, _dirnames, _filenames in os.walk(_package_dir):
    _dirnames[:] = [d for d in _dirnames if d != "__pycache__"]
    _rel = os.path.relpath(_dirpath, _package_dir)
    _dest = "baihe_desk/resources" if _rel == "." else "baihe_desk/resources/" + _rel.replace(os.sep, "/")
    datas += [(os.path.join(_dirpath, f), _dest) for f in _filenames if not f.endswith((".py", ".pyc"))]
