using System.Data;
using System.Globalization;
using Dapper;

namespace AttributionExplorer.Storage;

/// <summary>Dates are stored as ISO-8601 UTC text.</summary>
internal static class DapperSetup
{
    private static int configured;

    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1) return;
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public static string ToText(DateTime value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(IDbDataParameter parameter, DateTime value) => parameter.Value = ToText(value);
        public override DateTime Parse(object value) =>
            DateTime.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
