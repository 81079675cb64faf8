namespace AttributionExplorer.Precompute.Similarity;

/// <summary>scikit-learn LinearSVC settings of the seed's Exemplar-SVM: C, squared hinge, balanced class weights,
/// intercept (regularized, as liblinear's appended constant feature). Convergence: gradient norm ≤ Tolerance × its
/// value at zero.</summary>
public sealed record EsvmSettings(double C = 0.1, double Tolerance = 1e-6, int MaxIterations = 10000, bool L2NormalizeRows = true);
