-- Label-error detectors that rank annotations (objects) rather than whole images: one row per annotation of the
-- training split, rank 1 = most suspect, with the image it belongs to.
CREATE TABLE object_rankings (
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    annotation_id INTEGER NOT NULL,
    train_image_id INTEGER NOT NULL,
    score REAL NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (run_id, annotation_id)
);
CREATE INDEX ix_object_rankings_rank ON object_rankings (run_id, rank);
