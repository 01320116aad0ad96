"""The desk reads its data through ``importlib.resources.files("baihe_desk.resources")``: a package
named by a string, which the analysis cannot see. Importing it here pulls in its own hook
(``hook-baihe_desk.resources.py``, the data files)."""

hiddenimports = ["baihe_desk.resources"]
