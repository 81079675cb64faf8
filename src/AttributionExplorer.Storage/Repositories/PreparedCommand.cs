using System.Data.Common;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>One prepared command reused for every row of a bulk write inside a transaction.</summary>
internal static class PreparedCommand
{
    public static DbCommand Create(DbConnection connection, DbTransaction tx, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var n in parameterNames)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = n;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    public static int Execute(DbCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(DbCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteScalar();
    }

    private static void Bind(DbCommand command, object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"{values.Length} values for {command.Parameters.Count} parameters");
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
