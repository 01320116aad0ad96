"""期限 — periods and holidays, every workflow's clocks, the work queues (我的待办)."""
