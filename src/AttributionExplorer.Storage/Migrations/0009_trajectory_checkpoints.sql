-- A training run can keep the weights at the end of each of its last epochs as extra checkpoints (trajectory
-- checkpoints: more ensemble members at no extra training). NULL = the final weights of a run from before.
ALTER TABLE checkpoints ADD COLUMN epoch INTEGER;
CREATE INDEX ix_checkpoints_run ON checkpoints (run_id, epoch);
