using System.Data.Common;

namespace AttributionExplorer.Storage;

/// <summary>What the repositories shared by the SQLite and PostgreSQL back ends need of a database: a new connection
/// per unit of work, the data root stored paths are relative to, and the few spellings in which the two SQLs differ.</summary>
public interface ISqlDatabase
{
    /// <summary>Where the data lives, for messages (the SQLite file, or host, port and database; never a password).</summary>
    string Location { get; }
    DataPaths Paths { get; }
    SqlDialect Dialect { get; }
    DbConnection Open();
}
