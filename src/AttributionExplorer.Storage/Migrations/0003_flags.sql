-- Label-error flags on training images: the current state per image (optimistic concurrency on version) and every change.
CREATE TABLE flags (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('suspected', 'confirmed', 'ok')),
    note TEXT NOT NULL,
    author TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX ix_flags_state ON flags (dataset_id, state, updated_utc);
CREATE TABLE flag_history (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('suspected', 'confirmed', 'ok')),
    note TEXT NOT NULL,
    author TEXT NOT NULL,
    changed_utc TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE UNIQUE INDEX ix_flag_history_image ON flag_history (image_id, version);
CREATE TRIGGER flag_history_append_only BEFORE UPDATE ON flag_history
BEGIN
    SELECT RAISE(ABORT, 'flag_history is append-only');
END;
