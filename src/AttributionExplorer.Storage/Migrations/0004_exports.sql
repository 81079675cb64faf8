-- A curated subset a user exported: the rule that chose it and the kept ids, so every export can be rebuilt from here.
-- sha256 is over the canonical id list (ascending database image ids, each followed by '\n'; see ExportHash).
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    rule_json TEXT NOT NULL,
    run_id INTEGER REFERENCES attribution_runs(id) ON DELETE SET NULL,
    image_count INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX ix_exports_dataset ON exports (dataset_id, id);
CREATE TABLE export_images (
    export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- No cascade: deleting one image must not silently change an export (a dataset delete still removes both).
    image_id INTEGER NOT NULL REFERENCES images(id),
    PRIMARY KEY (export_id, position)
);
