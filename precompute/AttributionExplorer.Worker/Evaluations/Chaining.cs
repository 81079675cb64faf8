namespace AttributionExplorer.Worker.Evaluations;

/// <summary>Reports progress after a step without breaking the expression that computes it.</summary>
internal static class Chaining
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
