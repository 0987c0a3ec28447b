using Microsoft.Data.Sqlite;
using Orian.Storage.Sql;

namespace Orian.Storage.Sqlite;

/// <summary><c>Orian:Storage:Provider=sqlite</c>: the embedded default, one file created on first start.</summary>
public sealed class SqliteProvider : ISqlProvider
{
    public const string ProviderName = "sqlite";

    public string Name => ProviderName;

    /// <remarks>One file has no standby: <paramref name="operatorReadConnectionString"/> is refused at start-up (StorageOptions).</remarks>
    public SqlDatabase Create(string connectionString, string contentRoot, string? operatorReadConnectionString = null)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }

        return new SqliteDatabase(builder.ToString());
    }

    public string? ConnectionStringProblem(string connectionString) =>
        ConnectionStringProblems.Check(connectionString, s => _ = new SqliteConnectionStringBuilder(s));
}
