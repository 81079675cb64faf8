using Npgsql;
using NpgsqlTypes;

namespace AttributionExplorer.Storage.Postgres.Repositories;

/// <summary>Bulk writes inside the caller's transaction: ids reserved from a table's identity in one round trip, rows
/// sent with binary COPY (one stream instead of a round trip per row).</summary>
internal static class PgBulk
{
    /// <summary><paramref name="count"/> new ids of <paramref name="table"/>.id, ascending, so rows keep insertion order.</summary>
    public static long[] ReserveIds(NpgsqlConnection c, string table, int count)
    {
        if (count == 0) return [];
        using var command = new NpgsqlCommand($"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, @n)", c);
        command.Parameters.AddWithValue("n", count);
        var ids = new long[count];
        using (var reader = command.ExecuteReader())
            for (int i = 0; reader.Read(); i++) ids[i] = reader.GetInt64(0);
        Array.Sort(ids);
        return ids;
    }

    /// <summary>COPY <paramref name="table"/> (<paramref name="columns"/>) from the rows written next.</summary>
    public static BulkWriter Copy(NpgsqlConnection c, string table, string columns) =>
        new Writer(c.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"));

    private sealed class Writer(NpgsqlBinaryImporter importer) : BulkWriter
    {
        public override void StartRow() => importer.StartRow();
        public override void EndRow() { }
        public override void Complete() => importer.Complete();
        public override void Dispose() => importer.Dispose();

        public override BulkRow Long(long value) { importer.Write(value, NpgsqlDbType.Bigint); return this; }
        public override BulkRow Long(long? value) { if (value is { } v) importer.Write(v, NpgsqlDbType.Bigint); else importer.WriteNull(); return this; }
        public override BulkRow Double(double value) { importer.Write(value, NpgsqlDbType.Double); return this; }
        public override BulkRow Double(double? value) { if (value is { } v) importer.Write(v, NpgsqlDbType.Double); else importer.WriteNull(); return this; }
        public override BulkRow Text(string? value) { if (value is null) importer.WriteNull(); else importer.Write(value, NpgsqlDbType.Text); return this; }
        public override BulkRow Bytes(byte[] value) { importer.Write(value, NpgsqlDbType.Bytea); return this; }
    }
}
