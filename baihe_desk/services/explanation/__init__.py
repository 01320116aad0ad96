"""判后答疑 — judgment service and appeal periods, the tiers 承办法官 → 庭长 → 分管院长, 信访 risk."""
