using Orian.Storage.Sql;

namespace Orian.Storage.Postgres;

/// <summary><c>Orian:Storage:Provider=postgres</c>: a shared ledger several instances write at once.</summary>
public sealed class PostgresProvider : ISqlProvider
{
    public const string ProviderName = "postgres";

    public string Name => ProviderName;

    public SqlDatabase Create(string connectionString, string contentRoot) => new PostgresDatabase(connectionString);
}
