namespace AttributionExplorer.Core.Scores;

public enum ScoreDtype { Float16 = 16, Float32 = 32 }
