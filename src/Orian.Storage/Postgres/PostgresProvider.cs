using Npgsql;
using Orian.Storage.Sql;

namespace Orian.Storage.Postgres;

/// <summary><c>Orian:Storage:Provider=postgres</c>: a shared ledger several instances write at once.</summary>
public sealed class PostgresProvider : ISqlProvider
{
    public const string ProviderName = "postgres";

    public string Name => ProviderName;

    public SqlDatabase Create(string connectionString, string contentRoot, string? operatorReadConnectionString = null) =>
        new PostgresDatabase(connectionString, operatorReadConnectionString);

    /// <remarks>Building a data source checks the options together (a target session other than "any"
    /// with one host, say) and opens nothing.</remarks>
    public string? ConnectionStringProblem(string connectionString) =>
        ConnectionStringProblems.Check(connectionString, s => new NpgsqlDataSourceBuilder(s).Build().Dispose());
}
