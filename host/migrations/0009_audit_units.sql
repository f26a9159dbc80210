-- Each audit entry knows the organisation unit its record belongs to, so that an auditor
-- scoped to some units reads only the entries of their records (GET /api/v1/audit). The
-- store fills it at write time from the row's unit_id column (a unit's own row belongs to
-- itself); entries without a unit (roles, events, bulk summaries, and every entry written
-- before this migration) are shown only to auditors of all units.
ALTER TABLE core_audit ADD COLUMN unit_id INTEGER;
CREATE INDEX core_audit_unit ON core_audit(unit_id, id);
