"""Ship resources/ (checklists, wording templates, holidays, 案由, fees, case types, fonts) as data files."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("baihe_desk.resources")
