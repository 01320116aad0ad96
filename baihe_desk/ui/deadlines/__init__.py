"""工作台 / 我的待办 — the dashboard and the work queues."""
