"""Shared by every workflow: permissions, audit, authentication, validation, numbering (案号/收件号), the case query, record look-ups (``lookup``) and document records."""
