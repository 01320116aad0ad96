"""系统管理 — court, people, rules, holidays, fonts, templates, transfer, backups, first start."""
