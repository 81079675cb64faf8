-- Dense scores at COCO size (5k targets × 118k training images is 1.2 GB in float16) live in memory-mapped shard files
-- under the data root (Core.Scores.ScoreShardFile); the database keeps what the pages read: the top-k per target and
-- sign, the per-training-image rankings of the queue and their histogram. A target written before this schema keeps
-- its row in `scores` (score_shard NULL) and is read from there.
CREATE TABLE score_shards (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    dtype INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    cols INTEGER NOT NULL
);
CREATE INDEX ix_score_shards_run ON score_shards (run_id);
ALTER TABLE targets ADD COLUMN score_shard INTEGER;
ALTER TABLE targets ADD COLUMN score_row INTEGER;

-- The queue page's histogram of a run's ranking (with the planted errors per bin), computed when the ranking is
-- written instead of from its 118k rows on every page view.
CREATE TABLE influence_histograms (
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    bins INTEGER NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    counts TEXT NOT NULL,
    planted TEXT NOT NULL,
    PRIMARY KEY (run_id, bins)
);

-- Planted errors looked up by image (histograms, the queue's reveal).
CREATE INDEX ix_planted_errors_image ON planted_errors (image_id);
CREATE INDEX ix_object_rankings_image ON object_rankings (run_id, train_image_id);
