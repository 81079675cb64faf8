using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AttributionExplorer.Storage;

/// <summary>SQLite's spellings: Dapper expands a list parameter after IN; bulk rows go through one prepared INSERT.</summary>
public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect() { }

    public override string InList(string column, string parameter) => $"{column} IN {parameter}";

    public override string InIds(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object Ids(IEnumerable<long> ids) => JsonSerializer.Serialize(ids);

    // BeginTransaction takes the write lock at once (BEGIN IMMEDIATE): writers already run one at a time.
    public override string ForUpdate => "";
    public override string SkipLocked => "";
    public override string ForShare => "";

    public override void LockTableForWrite(DbConnection c, DbTransaction tx, string table) { }

    // A rowid table gives a new row MAX(id) + 1, and the write lock is held: the next ids are the caller's.
    public override long[] ReserveIds(DbConnection c, DbTransaction tx, string table, int count)
    {
        if (count == 0) return [];
        long last = c.ExecuteScalar<long>($"SELECT COALESCE(MAX(id), 0) FROM {table}", transaction: tx);
        return Enumerable.Range(1, count).Select(i => last + i).ToArray();
    }

    // SQLITE_CONSTRAINT, whose message names the table and column: "UNIQUE constraint failed: users.normalized_name".
    public override bool IsUniqueViolation(DbException e, string constraint) =>
        e is SqliteException { SqliteErrorCode: 19 } s && s.Message.Contains("UNIQUE") && s.Message.Contains(constraint);

    protected override BulkWriter StartBulkInsert(DbConnection c, DbTransaction tx, string table, string columns)
    {
        var names = Enumerable.Range(0, columns.Split(',').Length).Select(i => $"$p{i}").ToArray();
        var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", names)})";
        foreach (var n in names) insert.Parameters.Add(new SqliteParameter { ParameterName = n });
        insert.Prepare();
        return new PreparedInsert(insert);
    }

    /// <summary>One prepared INSERT executed per row, inside the caller's transaction.</summary>
    private sealed class PreparedInsert(DbCommand command) : BulkWriter
    {
        private int next;

        public override void StartRow() => next = 0;

        public override void EndRow()
        {
            if (next != command.Parameters.Count)
                throw new ArgumentException($"{next} values for {command.Parameters.Count} columns");
            command.ExecuteNonQuery();
        }

        public override void Complete() { }
        public override void Dispose() => command.Dispose();

        public override BulkRow Long(long value) => Set(value);
        public override BulkRow Long(long? value) => Set(value);
        public override BulkRow Double(double value) => Set(value);
        public override BulkRow Double(double? value) => Set(value);
        public override BulkRow Text(string? value) => Set(value);
        public override BulkRow Bytes(byte[] value) => Set(value);

        private PreparedInsert Set(object? value)
        {
            command.Parameters[next++].Value = value ?? DBNull.Value;
            return this;
        }
    }
}
