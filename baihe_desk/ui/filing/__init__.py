"""立案 — intake form, complaint review window, procedure, outcome, service address."""
