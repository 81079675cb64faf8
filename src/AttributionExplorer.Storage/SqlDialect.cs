using System.Data.Common;

namespace AttributionExplorer.Storage;

/// <summary>Where SQLite's and PostgreSQL's SQL (or their ADO.NET providers) differ, for the repositories both share.
/// Everything else those repositories write is SQL both accept unchanged.</summary>
public abstract class SqlDialect
{
    /// <summary>"<paramref name="column"/> is one of the values of <paramref name="parameter"/>", an array (or list) parameter.</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>"<paramref name="column"/> is one of <paramref name="parameter"/>", a parameter holding
    /// <see cref="Ids"/>: one statement however many ids (an export reads 59k), past any limit on parameter counts.</summary>
    public abstract string InIds(string column, string parameter);

    /// <summary>The value of an <see cref="InIds"/> parameter.</summary>
    public abstract object Ids(IEnumerable<long> ids);

    /// <summary>Appended to a SELECT of one row inside a write transaction: locks the row until the transaction ends.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to a row-picking subquery of an UPDATE: rows another transaction has locked are passed over.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>Appended to a SELECT of one row inside a write transaction: no other writer changes the row until the
    /// transaction ends.</summary>
    public abstract string ForShare { get; }

    /// <summary>Runs first in a write transaction that replaces a whole table: until it commits, no other writer can
    /// write the table (readers still read).</summary>
    public abstract void LockTableForWrite(DbConnection c, DbTransaction tx, string table);

    /// <summary><paramref name="count"/> new ids of <paramref name="table"/>.id, ascending, for rows the caller then
    /// inserts with <see cref="BulkInsert"/> in the same transaction.</summary>
    public abstract long[] ReserveIds(DbConnection c, DbTransaction tx, string table, int count);

    /// <summary>Whether <paramref name="e"/> is a unique constraint (or unique index) failing on a name containing <paramref name="constraint"/>.</summary>
    public abstract bool IsUniqueViolation(DbException e, string constraint);

    /// <summary>Appends <paramref name="rows"/> to <paramref name="table"/> (<paramref name="columns"/>, comma-separated)
    /// inside the connection's open transaction, the quickest way the back end has; each row writes its values in column
    /// order through <see cref="BulkRow"/>.</summary>
    public void BulkInsert<T>(DbConnection c, DbTransaction tx, string table, string columns, IEnumerable<T> rows, Action<BulkRow, T> write)
    {
        using var writer = StartBulkInsert(c, tx, table, columns);
        foreach (var item in rows)
        {
            writer.StartRow();
            write(writer, item);
            writer.EndRow();
        }
        writer.Complete();
    }

    protected abstract BulkWriter StartBulkInsert(DbConnection c, DbTransaction tx, string table, string columns);
}

/// <summary>The values of one row of a bulk insert, in column order.</summary>
public abstract class BulkRow
{
    public abstract BulkRow Long(long value);
    public abstract BulkRow Long(long? value);
    public abstract BulkRow Double(double value);
    public abstract BulkRow Double(double? value);
    public abstract BulkRow Text(string? value);
    public abstract BulkRow Bytes(byte[] value);
}

/// <summary>A bulk insert under way: rows, then <see cref="Complete"/>; disposed unfinished, it writes nothing more.</summary>
public abstract class BulkWriter : BulkRow, IDisposable
{
    public abstract void StartRow();
    public abstract void EndRow();
    public abstract void Complete();
    public abstract void Dispose();
}
