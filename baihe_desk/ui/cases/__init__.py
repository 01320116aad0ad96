"""案件列表 — the case list, the case detail and the case's documents panel."""
