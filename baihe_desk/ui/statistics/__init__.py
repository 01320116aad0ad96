"""统计分析 — the statistics page and its charts."""
