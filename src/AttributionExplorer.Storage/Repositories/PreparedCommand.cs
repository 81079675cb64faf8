using System.Data.Common;

namespace AttributionExplorer.Storage.Repositories;

/// <summary>One prepared command reused for every row of a bulk write inside a transaction.</summary>
internal sealed class PreparedCommand : IDisposable
{
    private readonly DbCommand command;
    private bool prepared;

    private PreparedCommand(DbCommand command) => this.command = command;

    public static PreparedCommand Create(DbConnection connection, DbTransaction tx, string sql, params string[] parameterNames)
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
        return new PreparedCommand(command);
    }

    public static int Execute(PreparedCommand command, params object?[] values) => command.Bind(values).ExecuteNonQuery();

    public static object? Scalar(PreparedCommand command, params object?[] values) => command.Bind(values).ExecuteScalar();

    // Prepared once the first row is bound: Npgsql takes the parameter types from the values.
    private DbCommand Bind(object?[] values)
    {
        if (values.Length != command.Parameters.Count)
            throw new ArgumentException($"{values.Length} values for {command.Parameters.Count} parameters");
        for (int i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        if (!prepared)
        {
            command.Prepare();
            prepared = true;
        }
        return command;
    }

    public void Dispose() => command.Dispose();
}
