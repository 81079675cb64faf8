-- Per checkpoint of a TRAK run, the file holding (PhiT Phi + lambda I)^-1 PhiT [k, n]: what scoring a new target needs.
CREATE TABLE trak_scoring_matrices (
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    rows INTEGER NOT NULL,
    cols INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);

-- A set of image embeddings (MoCo from the worker, CLIP from an ONNX encoder or an imported .npy).
CREATE TABLE embedding_sets (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dim INTEGER NOT NULL,
    source TEXT NOT NULL,
    parameters_json TEXT NOT NULL,
    parameters_hash TEXT NOT NULL,
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_embedding_sets_kind ON embedding_sets (dataset_id, kind, id);
CREATE TABLE embeddings (
    set_id INTEGER NOT NULL REFERENCES embedding_sets(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    vector BLOB NOT NULL,
    PRIMARY KEY (set_id, image_id)
);

-- Agreement of two methods' rankings for the same logical target (same image, kind, class, annotation).
CREATE TABLE rank_agreement (
    target_a INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    target_b INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    overlap_at_10 REAL NOT NULL,
    overlap_at_50 REAL NOT NULL,
    spearman_top50_union REAL,
    candidates INTEGER NOT NULL,
    PRIMARY KEY (target_a, target_b)
);
CREATE INDEX ix_rank_agreement_b ON rank_agreement (target_b);
CREATE INDEX ix_targets_image ON targets (image_id, kind);

-- On-demand work the web app asks of the worker (`precompute serve` polls this table).
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    request_json TEXT NOT NULL,
    result_target_id INTEGER REFERENCES targets(id) ON DELETE SET NULL,
    result_json TEXT,
    error TEXT,
    worker TEXT,
    created_utc TEXT NOT NULL,
    started_utc TEXT,
    finished_utc TEXT
);
CREATE INDEX ix_jobs_queue ON jobs (status, id);
