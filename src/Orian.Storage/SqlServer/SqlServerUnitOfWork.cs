using System.Data;
using System.Text;
using Dapper;
using Microsoft.Data.SqlClient;
using Orian.Authorisation;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.SqlServer;

/// <summary>
/// One SQL Server transaction for one batch, in three round trips like PostgreSQL's: the locking
/// read, one command holding every write (one set-based statement per table over a JSON array,
/// each conditional write followed by its row-count check, raised as
/// <see cref="SqlServerErrors.RowCountMismatch"/>), and the commit. <c>XACT_ABORT</c> dooms the
/// transaction on any error, so a failed batch can only roll back.
/// </summary>
internal sealed class SqlServerUnitOfWork(SqlConnection connection, SqlTransaction transaction) : SqlUnitOfWork(connection, transaction)
{
    public override async Task<LockedRows> LockAsync(
        IReadOnlyList<string> transactionIds, IReadOnlyList<string> accountNos, DateTimeOffset? authorisationDay, CancellationToken cancellationToken)
    {
        var dialect = new SqlServerDialect();
        var sql = authorisationDay is null ? SqlServerSql.Lock + SqlServerSql.FanOutRead : SqlServerSql.Lock + SqlServerSql.AuthorisationRead + SqlServerSql.FanOutRead;
        var parameters = new
        {
            ids = (string)dialect.List([.. transactionIds.Order(StringComparer.Ordinal)]),
            accounts = (string)dialect.List([.. accountNos.Order(StringComparer.Ordinal)]),
            day = authorisationDay ?? default,
        };
        await using var reader = await Connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return await ReadLockedAsync(reader, authorisationDay is not null).ConfigureAwait(false);
    }

    public override Task WriteAsync(LedgerChanges changes, CancellationToken cancellationToken) =>
        SqlServerBatch.For(changes).ExecuteAsync((SqlConnection)Connection, (SqlTransaction)Transaction, changes.At, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false); // rolls back if not committed
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The text and JSON parameters of one batch's writes (pure: built and tested without a server).</summary>
internal sealed class SqlServerBatch : ITableWriter
{
    private readonly StringBuilder _text = new("SET XACT_ABORT ON;\n");
    private readonly List<(string Name, string Json)> _parameters = [];

    public string Text => _text.ToString();
    public IReadOnlyList<(string Name, string Json)> Parameters => _parameters;
    public int Count => _parameters.Count;

    public static SqlServerBatch For(LedgerChanges changes)
    {
        var batch = new SqlServerBatch();
        LedgerWrites.Each(changes, batch);
        return batch;
    }

    /// <summary>Runs the statements as one command in <paramref name="transaction"/>; a row count that
    /// falls short throws <see cref="ConcurrencyException"/>.</summary>
    public async Task ExecuteAsync(SqlConnection connection, SqlTransaction transaction, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (Count == 0)
        {
            return;
        }

        await using var command = new SqlCommand(Text, connection, transaction);
        command.Parameters.Add(new SqlParameter("@at", SqlDbType.DateTimeOffset) { Value = at });
        foreach (var (name, json) in _parameters)
        {
            command.Parameters.Add(new SqlParameter(name, SqlDbType.NVarChar, -1) { Value = json });
        }

        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException e) when (e.Number == SqlServerErrors.RowCountMismatch)
        {
            throw new ConcurrencyException(e.Message);
        }
    }

    /// <summary>Appends the statement, and after a counted one its row-count check.</summary>
    public void Write<TRow>(TableWrite<TRow> write, IReadOnlyList<TRow> rows)
    {
        var name = $"@rows{_parameters.Count}";
        _text.Append(SqlServerSql.Statement(write).Replace("@rows", name, StringComparison.Ordinal)).Append(";\n");
        if (write.IsCounted)
        {
            _text.Append($"IF @@ROWCOUNT <> {rows.Count} THROW {SqlServerErrors.RowCountMismatch}, N'Expected to write {rows.Count} {write.What}.', 1;\n");
        }

        _parameters.Add((name, SqlServerJson.Rows(write, rows)));
    }
}
