"""The append-only guard of ``audit_record``: triggers that refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL). Created by the migrations; :mod:`baihe_desk.services.admin.health` checks they are there."""

from __future__ import annotations

TRIGGER_NAMES = ("audit_record_no_update", "audit_record_no_delete")

# The statements of the migration (copy the literal SQL into it; a batch migration that rebuilds
# audit_record drops its triggers, so such a migration must create them again). The message text is what
# storage.db translates into a calm Chinese message.
APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record "
    "BEGIN SELECT RAISE(ABORT, 'audit_record is append-only'); END",
    "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record "
    "BEGIN SELECT RAISE(ABORT, 'audit_record is append-only'); END",
)
APPEND_ONLY_POSTGRESQL = (
    "CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_record is append-only'; END $$",
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE OR DELETE ON audit_record "
    "FOR EACH ROW EXECUTE FUNCTION audit_record_append_only()",
    "CREATE TRIGGER audit_record_no_delete BEFORE TRUNCATE ON audit_record "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_record_append_only()",
)
