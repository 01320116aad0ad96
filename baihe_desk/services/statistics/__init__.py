"""统计分析 — figures per period, department and person; 周通报 and 月分析."""
