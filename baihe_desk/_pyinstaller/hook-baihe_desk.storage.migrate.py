"""Ship the Alembic migrations as files beside the frozen modules.

Alembic lists ``versions/`` with ``os.listdir`` and loads each revision and ``env.py`` from its source
file; inside PyInstaller's archive there is no folder to list ("migrations must have exactly one head,
found []"). So the migration package travels twice: as source files in
``_internal/baihe_desk/storage/migrations/`` (for Alembic and ``storage.migrate``'s revision graph) and
as analysed modules (so everything the migrations import is frozen too).
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("baihe_desk.storage.migrations", include_py_files=True,
                           excludes=["**/__pycache__", "**/__pycache__/*"])
hiddenimports = ["alembic", "alembic.runtime.migration", "alembic.ddl.sqlite", "alembic.ddl.postgresql",
                 "mako.template", *collect_submodules("baihe_desk.storage.migrations")]
