-- Pictures an administrator uploaded for the home page's module tiles (else the default).
CREATE TABLE core_tile_images (
    plugin_id     TEXT    PRIMARY KEY,
    content_type  TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    updated_at    TEXT    NOT NULL
);
