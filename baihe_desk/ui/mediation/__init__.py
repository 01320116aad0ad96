"""诉前调解 — referral page, the station's workbench, the roster."""
