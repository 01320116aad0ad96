"""诉前调解 — referral at the filing window, the station's 30-day mediation, outcomes, roster and rules."""
