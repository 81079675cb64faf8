CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    image_root TEXT NOT NULL,
    source_description TEXT NOT NULL,
    created_utc TEXT NOT NULL
);
CREATE TABLE categories (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    coco_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    supercategory TEXT,
    model_index INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, coco_id)
);
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    coco_id INTEGER NOT NULL,
    split TEXT NOT NULL,
    file_name TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    UNIQUE (dataset_id, coco_id)
);
CREATE INDEX ix_images_split ON images (dataset_id, split, id);
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    coco_id INTEGER NOT NULL,
    category_coco_id INTEGER NOT NULL,
    is_crowd INTEGER NOT NULL,
    rle_height INTEGER NOT NULL,
    rle_width INTEGER NOT NULL,
    rle_counts TEXT NOT NULL,
    bbox TEXT NOT NULL,
    area REAL NOT NULL
);
CREATE INDEX ix_annotations_image ON annotations (image_id);
CREATE TABLE planted_errors (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX ix_planted_errors_dataset ON planted_errors (dataset_id);
CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    seed INTEGER NOT NULL,
    path TEXT NOT NULL,
    val_miou REAL NOT NULL,
    hyperparameters_json TEXT NOT NULL,
    train_seconds REAL NOT NULL,
    created_utc TEXT NOT NULL
);
CREATE INDEX ix_checkpoints_dataset ON checkpoints (dataset_id, seed);
CREATE TABLE predictions (
    checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    labels BLOB NOT NULL,
    PRIMARY KEY (checkpoint_id, image_id)
);
CREATE TABLE attribution_runs (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
    parameters_json TEXT NOT NULL,
    parameters_hash TEXT NOT NULL,
    timings_json TEXT NOT NULL DEFAULT '{}',
    train_count INTEGER NOT NULL,
    error TEXT,
    started_utc TEXT NOT NULL,
    finished_utc TEXT
);
CREATE INDEX ix_runs_lookup ON attribution_runs (dataset_id, method, target_kind, status, id);
CREATE INDEX ix_runs_hash ON attribution_runs (dataset_id, parameters_hash, status);
CREATE TABLE run_train_order (
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    PRIMARY KEY (run_id, position)
);
CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    category_coco_id INTEGER,
    annotation_id INTEGER REFERENCES annotations(id) ON DELETE CASCADE
);
CREATE INDEX ix_targets_run_image ON targets (run_id, image_id);
CREATE TABLE scores (
    target_id INTEGER PRIMARY KEY REFERENCES targets(id) ON DELETE CASCADE,
    dtype INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE topk (
    target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    positive INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    train_image_id INTEGER NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (target_id, positive, rank)
);
CREATE TABLE overall_influence (
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    train_image_id INTEGER NOT NULL,
    mean_score REAL NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (run_id, train_image_id)
);
CREATE INDEX ix_overall_rank ON overall_influence (run_id, rank);
