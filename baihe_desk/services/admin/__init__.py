"""系统管理 — court profile, people, settings, fonts, holiday tables, export/import, demo data, database check."""
