"""执行咨询 — the judge's 执行咨询函, its enforceability check and the bureau's 执行建议."""
