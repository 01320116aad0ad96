"""节假日与调休数据 (holiday and 调休 tables), one file per year: ``cn-YYYY.toml``.

Read by :mod:`baihe_desk.services.holidays`. Each file lists the State Council's holiday dates (including
the weekend days inside a holiday block) and the Saturdays/Sundays worked by 调休. Generated from the
chinesecalendar package with ``python -m baihe_desk.services.holidays YEAR`` and reviewed; 2026 is checked
against DOMAIN.md §13 by tests/unit/test_periods.py. Years not shipped here are entered by an administrator
(setting ``holidays.extra``); until then deadlines touching such a year carry a warning.
"""
