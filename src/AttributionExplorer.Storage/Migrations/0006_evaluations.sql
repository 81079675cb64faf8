-- Evaluation runs (counterfactual, LDS, brittleness, label errors, curation). parameters_json holds every seed and
-- setting; a run with the same parameters_hash resumes from its stored steps instead of retraining.
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete')),
    parameters_json TEXT NOT NULL,
    parameters_hash TEXT NOT NULL,
    results_json TEXT,
    started_utc TEXT NOT NULL,
    finished_utc TEXT,
    seconds REAL NOT NULL DEFAULT 0
);
CREATE INDEX ix_evaluations_dataset_kind ON evaluations (dataset_id, kind, id);
-- One finished unit of work (typically one retrained model's measurements), keyed within its evaluation.
CREATE TABLE evaluation_steps (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    step_key TEXT NOT NULL,
    value_json TEXT NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (evaluation_id, step_key)
);
