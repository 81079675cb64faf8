using System.Data.Common;
using AttributionExplorer.Storage.Postgres.Repositories;
using Dapper;
using Npgsql;

namespace AttributionExplorer.Storage.Postgres;

/// <summary>PostgreSQL's spellings: an array parameter compared with ANY; bulk rows sent with binary COPY.</summary>
public sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect() { }

    public override string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public override string InIds(string column, string parameter) => InList(column, parameter);

    public override object Ids(IEnumerable<long> ids) => ids.ToArray();

    public override string ForUpdate => " FOR UPDATE";
    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";
    public override string ForShare => " FOR SHARE";

    public override void LockTableForWrite(DbConnection c, DbTransaction tx, string table) =>
        c.Execute($"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE", transaction: tx);

    public override long[] ReserveIds(DbConnection c, DbTransaction tx, string table, int count) => PgBulk.ReserveIds((NpgsqlConnection)c, table, count);

    public override bool IsUniqueViolation(DbException e, string constraint) =>
        e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && p.ConstraintName?.Contains(constraint) == true;

    // COPY runs inside the connection's open transaction; tx is that transaction.
    protected override BulkWriter StartBulkInsert(DbConnection c, DbTransaction tx, string table, string columns) =>
        PgBulk.Copy((NpgsqlConnection)c, table, columns);
}
