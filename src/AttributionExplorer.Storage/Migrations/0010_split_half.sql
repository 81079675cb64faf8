-- Reliability of rankings (issue 12): the split-half figure of every target and of every run's ordering of training
-- images, and the TRAK kernels a run's scores come from, so readers can warn about a degenerate regime.

-- Spearman between a target's scores from two disjoint halves of the checkpoint ensemble; NULL = not measured.
ALTER TABLE targets ADD COLUMN split_half REAL;

-- One row per ranking run that recorded its reliability: the figure of its ordering of training images (NULL when
-- there is none) and how the halves were formed, or why there is no figure.
CREATE TABLE run_reliability (
    run_id INTEGER PRIMARY KEY REFERENCES attribution_runs(id) ON DELETE CASCADE,
    split_half REAL,
    detail TEXT NOT NULL
);

-- The TRAK kernel ΦᵀΦ + ridge·I of each checkpoint a ranking run's scores come from.
CREATE TABLE run_kernels (
    run_id INTEGER NOT NULL REFERENCES attribution_runs(id) ON DELETE CASCADE,
    checkpoint_id INTEGER NOT NULL,
    train_images INTEGER NOT NULL,
    projection_dim INTEGER NOT NULL,
    ridge REAL NOT NULL,
    smallest_eigenvalue REAL NOT NULL,
    largest_eigenvalue REAL NOT NULL,
    eigenvalues_below_ridge INTEGER NOT NULL,
    PRIMARY KEY (run_id, checkpoint_id)
);
