-- The plug-ins the worker registered (ranking methods, target kinds, evaluations), published at worker start-up so the
-- web app builds its columns, pickers and pages from them without loading the worker.
CREATE TABLE plugins (
    category TEXT NOT NULL CHECK (category IN ('ranking_method', 'target_kind', 'evaluation')),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    info_json TEXT NOT NULL,
    PRIMARY KEY (category, name)
);
