// libtorch's RNG seed and thread pool are process-wide: tests that seed and train must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
