-- A fourth flag state, 'fixed' (the error was corrected in the source annotations). SQLite cannot change a CHECK
-- constraint in place, so flags and flag_history are rebuilt with the same columns (foreign keys are off while a
-- migration runs); the append-only trigger is dropped with its table and recreated.
CREATE TABLE flags_new (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('suspected', 'confirmed', 'ok', 'fixed')),
    note TEXT NOT NULL,
    author TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1)
);
INSERT INTO flags_new (dataset_id, image_id, state, note, author, updated_utc, version)
    SELECT dataset_id, image_id, state, note, author, updated_utc, version FROM flags;
DROP TABLE flags;
ALTER TABLE flags_new RENAME TO flags;
CREATE INDEX ix_flags_state ON flags (dataset_id, state, updated_utc);

CREATE TABLE flag_history_new (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('suspected', 'confirmed', 'ok', 'fixed')),
    note TEXT NOT NULL,
    author TEXT NOT NULL,
    changed_utc TEXT NOT NULL,
    version INTEGER NOT NULL
);
INSERT INTO flag_history_new (id, image_id, state, note, author, changed_utc, version)
    SELECT id, image_id, state, note, author, changed_utc, version FROM flag_history;
DROP TABLE flag_history;
ALTER TABLE flag_history_new RENAME TO flag_history;
CREATE UNIQUE INDEX ix_flag_history_image ON flag_history (image_id, version);
CREATE TRIGGER flag_history_append_only BEFORE UPDATE ON flag_history
BEGIN
    SELECT RAISE(ABORT, 'flag_history is append-only');
END;
