using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>One prepared command reused for every row of a bulk write inside a transaction.</summary>
internal static class PreparedCommand
{
    public static SqliteCommand Create(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var n in parameterNames) command.Parameters.Add(new SqliteParameter { ParameterName = n });
        command.Prepare();
        return command;
    }

    public static int Execute(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteScalar();
    }

    private static void Bind(SqliteCommand command, object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"{values.Length} values for {command.Parameters.Count} parameters");
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
