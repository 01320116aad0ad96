"""案件包 — signed, encrypted case bundles between desks that cannot reach the court's server (check-out,
offline work on the laptop or at the station, check-in with a preview and conflicts for a person to decide)."""
