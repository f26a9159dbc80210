-- Feature switches an administrator set on the plugins page. They override the deployment
-- config's <feature> and the manifest's default, and take effect when the host next starts
-- the plugin (restart). Changes are audited like every other row.
CREATE TABLE core_feature_switches (
    plugin_id   TEXT    NOT NULL,
    feature     TEXT    NOT NULL,
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (plugin_id, feature)
);
