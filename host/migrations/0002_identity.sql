-- Users, roles and their permissions, role assignments bound to a unit with a scope,
-- sessions, API tokens and login throttling.
CREATE TABLE core_users (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL DEFAULT '',
    password_hash  TEXT    NOT NULL,           -- argon2id, libsodium's encoded string
    unit_id        INTEGER REFERENCES core_units(id),  -- the user's own unit
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE core_roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,       -- e.g. "admin", "officer"
    label       TEXT    NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0,    -- built-in roles cannot be changed or deleted
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- "*" grants every permission (the administrator role).
CREATE TABLE core_role_permissions (
    role_id     INTEGER NOT NULL REFERENCES core_roles(id) ON DELETE CASCADE,
    permission  TEXT    NOT NULL,
    PRIMARY KEY (role_id, permission)
);

-- scope: 'unit' (this unit only), 'subtree' (this unit and below), 'all' (unit_id NULL).
CREATE TABLE core_assignments (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    role_id     INTEGER NOT NULL REFERENCES core_roles(id),
    unit_id     INTEGER REFERENCES core_units(id),
    scope       TEXT    NOT NULL CHECK (scope IN ('unit', 'subtree', 'all')),
    created_at  TEXT    NOT NULL,
    CHECK ((scope = 'all') = (unit_id IS NULL))
);
CREATE UNIQUE INDEX core_assignments_unique ON core_assignments(user_id, role_id, ifnull(unit_id, 0), scope);
CREATE INDEX core_assignments_unit ON core_assignments(unit_id);

-- Sessions are looked up by the SHA-256 of the cookie value; the value itself is never stored.
CREATE TABLE core_sessions (
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    csrf_token    TEXT    NOT NULL,
    address       TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL
);
CREATE INDEX core_sessions_user ON core_sessions(user_id);

-- API tokens for scripts: shown once, stored as SHA-256, revocable.
CREATE TABLE core_api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    prefix        TEXT    NOT NULL,            -- first characters, to recognise a token in lists
    created_at    TEXT    NOT NULL,
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX core_api_tokens_user ON core_api_tokens(user_id);

-- Failed logins per key ("account:<name>" or "address:<ip>") in the current window.
CREATE TABLE core_login_attempts (
    key            TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL,
    window_start   TEXT    NOT NULL,
    locked_until   TEXT
);
