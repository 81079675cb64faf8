-- How far an on-demand job is: the worker's serve loop writes the share done (0–1) and what it is doing while it
-- holds the job's lease; the app shows queued (with the jobs ahead), running with a percentage, done or failed.
ALTER TABLE runs ADD COLUMN progress REAL;
ALTER TABLE runs ADD COLUMN progress_note TEXT;
