namespace Orian.Storage;

/// <summary>The databases the ledger runs on. SQLite needs nothing installed; PostgreSQL lets several
/// service instances share one ledger.</summary>
public enum StorageProvider
{
    Sqlite = 1,
    Postgres,
}
