-- A counter bumped by every change that can alter someone's rights: users, roles, role
-- permissions, assignments, the unit tree's shape, and token revocation. The host caches a
-- caller's rights next to the stamp it read them at; one primary-key read per request tells
-- whether the cache is still true, also after changes made by another process (the CLI).
CREATE TABLE core_identity_stamp (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    stamp  INTEGER NOT NULL
);
INSERT INTO core_identity_stamp(id, stamp) VALUES (1, 1);

CREATE TRIGGER core_users_stamp_i AFTER INSERT ON core_users BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_users_stamp_u AFTER UPDATE ON core_users BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_users_stamp_d AFTER DELETE ON core_users BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_roles_stamp_u AFTER UPDATE ON core_roles BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_roles_stamp_d AFTER DELETE ON core_roles BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_role_permissions_stamp_i AFTER INSERT ON core_role_permissions BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_role_permissions_stamp_d AFTER DELETE ON core_role_permissions BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_assignments_stamp_i AFTER INSERT ON core_assignments BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_assignments_stamp_u AFTER UPDATE ON core_assignments BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_assignments_stamp_d AFTER DELETE ON core_assignments BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_units_stamp_u AFTER UPDATE OF path, parent_id ON core_units BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_units_stamp_d AFTER DELETE ON core_units BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_api_tokens_stamp_u AFTER UPDATE OF revoked_at ON core_api_tokens BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_api_tokens_stamp_d AFTER DELETE ON core_api_tokens BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
