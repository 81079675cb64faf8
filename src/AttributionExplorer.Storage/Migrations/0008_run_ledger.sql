-- The run ledger: every recorded computation (training, TRAK stages, rankings, evaluations, on-demand jobs, exports) is
-- a run with one lifecycle. Domain rows carry their run's id and are read only while that run is complete.
-- Runs from older schemas are carried over as complete (or failed) runs with a legacy identity, so their results stay
-- visible; the next precompute computes runs under the new identities next to them.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    identity TEXT NOT NULL,
    parameters_json TEXT NOT NULL,
    upstream_json TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'complete', 'failed', 'cancelled')),
    lease_owner TEXT,
    lease_expires_utc TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    result_json TEXT,
    created_utc TEXT NOT NULL,
    started_utc TEXT,
    finished_utc TEXT,
    seconds REAL NOT NULL DEFAULT 0,
    UNIQUE (dataset_id, identity)
);
CREATE INDEX ix_runs_kind ON runs (dataset_id, kind, state, id);
CREATE INDEX ix_runs_claim ON runs (state, kind, id);
CREATE TABLE run_units (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    unit_key TEXT NOT NULL,
    value_json TEXT NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, unit_key)
);
CREATE TABLE run_artifacts (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
);

-- A dataset's content version enters every run identity; datasets imported before this schema get a fixed one.
ALTER TABLE datasets ADD COLUMN version TEXT NOT NULL DEFAULT '';
UPDATE datasets SET version = 'legacy-' || id WHERE version = '';

-- Attribution (ranking) runs: the ledger holds their lifecycle; this table keeps what they rank.
INSERT INTO runs (id, dataset_id, kind, identity, parameters_json, state, error, result_json, created_utc, started_utc, finished_utc)
SELECT id, dataset_id, 'rank.' || method, 'legacy-attribution-' || id, parameters_json,
       CASE status WHEN 'running' THEN 'failed' ELSE status END,
       CASE status WHEN 'running' THEN 'interrupted before the run ledger existed' ELSE error END,
       timings_json, started_utc, started_utc, finished_utc
FROM attribution_runs;
CREATE TABLE attribution_runs_new (
    id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    train_count INTEGER NOT NULL
);
INSERT INTO attribution_runs_new SELECT id, dataset_id, method, target_kind, train_count FROM attribution_runs;
DROP TABLE attribution_runs;
ALTER TABLE attribution_runs_new RENAME TO attribution_runs;
CREATE INDEX ix_attribution_runs_lookup ON attribution_runs (dataset_id, method, target_kind, id);

-- Checkpoints (training runs).
ALTER TABLE checkpoints ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE;
CREATE TEMP TABLE migration_offset AS SELECT COALESCE(MAX(id), 0) AS o FROM runs;
INSERT INTO runs (id, dataset_id, kind, identity, parameters_json, state, result_json, created_utc, started_utc, finished_utc, seconds)
SELECT c.id + (SELECT o FROM migration_offset), c.dataset_id, 'train', 'legacy-checkpoint-' || c.id, c.hyperparameters_json, 'complete', '{}',
       c.created_utc, c.created_utc, c.created_utc, c.train_seconds
FROM checkpoints c;
UPDATE checkpoints SET run_id = id + (SELECT o FROM migration_offset);
DROP TABLE migration_offset;

-- Embedding sets (MoCo training, CLIP import).
ALTER TABLE embedding_sets ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE;
CREATE TEMP TABLE migration_offset AS SELECT COALESCE(MAX(id), 0) AS o FROM runs;
INSERT INTO runs (id, dataset_id, kind, identity, parameters_json, state, result_json, created_utc, started_utc, finished_utc)
SELECT e.id + (SELECT o FROM migration_offset), e.dataset_id, 'embed.' || e.kind, 'legacy-embedding-' || e.id, e.parameters_json, 'complete', '{}',
       e.created_utc, e.created_utc, e.created_utc
FROM embedding_sets e;
UPDATE embedding_sets SET run_id = id + (SELECT o FROM migration_offset);
DROP TABLE migration_offset;

-- Evaluations and their steps become runs and units.
CREATE TEMP TABLE migration_offset AS SELECT COALESCE(MAX(id), 0) AS o FROM runs;
INSERT INTO runs (id, dataset_id, kind, identity, parameters_json, state, result_json, created_utc, started_utc, finished_utc, seconds)
SELECT e.id + (SELECT o FROM migration_offset), e.dataset_id, 'eval.' || e.kind, 'legacy-evaluation-' || e.id, e.parameters_json,
       CASE e.status WHEN 'complete' THEN 'complete' ELSE 'queued' END, e.results_json, e.started_utc, e.started_utc, e.finished_utc, e.seconds
FROM evaluations e;
INSERT INTO run_units (run_id, unit_key, value_json, seconds)
SELECT s.evaluation_id + (SELECT o FROM migration_offset), s.step_key, s.value_json, s.seconds FROM evaluation_steps s;
DROP TABLE migration_offset;
DROP TABLE evaluation_steps;
DROP TABLE evaluations;

-- On-demand jobs become runs of kind 'job.<kind>' (queued → running with a lease → complete | failed).
CREATE TEMP TABLE migration_offset AS SELECT COALESCE(MAX(id), 0) AS o FROM runs;
INSERT INTO runs (id, dataset_id, kind, identity, parameters_json, state, error, result_json, created_utc, started_utc, finished_utc)
SELECT j.id + (SELECT o FROM migration_offset), j.dataset_id, 'job.' || j.kind, 'legacy-job-' || j.id, j.request_json,
       CASE j.status WHEN 'done' THEN 'complete' WHEN 'running' THEN 'queued' ELSE j.status END, j.error,
       CASE WHEN j.status = 'done' THEN json_object('resultTargetId', j.result_target_id, 'result', json(COALESCE(j.result_json, '{}'))) END,
       j.created_utc, j.started_utc, j.finished_utc
FROM jobs j;
DROP TABLE migration_offset;
DROP TABLE jobs;

-- Exports are runs too (complete when written, in the same transaction).
ALTER TABLE exports ADD COLUMN ledger_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
