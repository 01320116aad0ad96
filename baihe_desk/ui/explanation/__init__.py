"""判后答疑 — judgment, requests, tiers, risk and statistics panels."""
