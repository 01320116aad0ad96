"""Reliability and security proof: crashes, bad input, permissions, tamper-evident audit (issue #10)."""
