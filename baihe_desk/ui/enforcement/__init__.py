"""执行咨询 — the judge's consultation pages and the bureau's queue."""
