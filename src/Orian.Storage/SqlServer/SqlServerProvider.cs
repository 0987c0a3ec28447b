using Orian.Storage.Sql;

namespace Orian.Storage.SqlServer;

/// <summary><c>Orian:Storage:Provider=sqlserver</c>: SQL Server 2019+ or Azure SQL Database, the
/// production database of the design card; several instances may share one ledger.</summary>
public sealed class SqlServerProvider : ISqlProvider
{
    public const string ProviderName = "sqlserver";

    public string Name => ProviderName;

    /// <remarks>Not supported here (an availability group's readable secondary would be
    /// <c>ApplicationIntent=ReadOnly</c>; untried): refused at start-up (StorageOptions).</remarks>
    public SqlDatabase Create(string connectionString, string contentRoot, string? operatorReadConnectionString = null) => new SqlServerDatabase(connectionString);

    public string? ConnectionStringProblem(string connectionString) =>
        ConnectionStringProblems.Check(connectionString, s => _ = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(s));
}
