using Dapper;
using Npgsql;

namespace Orian.Storage.Postgres;

/// <summary>
/// How Orian commits on PostgreSQL so that no acknowledgement lives on one machine. With
/// <c>synchronous_commit = on</c> and a synchronous standby, a COMMIT returns once a standby has the
/// transaction; but a COMMIT whose wait for the standby is cancelled (a statement timeout, an operator's
/// <c>pg_cancel_backend</c>, a shutdown) returns success with only a warning, the transaction committed
/// locally and perhaps nowhere else. So:
/// <list type="bullet">
/// <item>Orian never cancels a COMMIT itself (no cancellation token reaches it; the request waiting for
/// it answers 503 at its own commit timeout, and the writer waits on).</item>
/// <item>A COMMIT that returns with that warning throws <see cref="ReplicationInDoubtException"/>: the
/// batch is not acknowledged; the applier then asks whether it committed through
/// <see cref="SqlDialect.ConfirmsReplication"/>, a transaction whose own commit waits for a standby, so
/// "committed" is only ever said of a transaction a standby has.</item>
/// </list>
/// </summary>
internal static class PostgresCommit
{
    /// <summary>The start of PostgreSQL's warning for a cancelled wait for a synchronous standby.</summary>
    private const string CancelledWait = "canceling wait for synchronous replication";

    public static Task CommitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        WatchedAsync(connection, async () =>
        {
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        });

    /// <summary>Runs one statement outside any transaction (it commits on its own) and returns its rows
    /// once the commit is done: Dapper's buffered query reads to the end of the answer, past the commit
    /// and its wait for a standby. Not cancelled, for the same reason as a COMMIT.</summary>
    public static async Task<IReadOnlyList<T>> QueryOnItsOwnAsync<T>(NpgsqlConnection connection, string sql, object parameters) =>
        await WatchedAsync(connection, async () =>
            (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: CancellationToken.None)).ConfigureAwait(false)).AsList())
            .ConfigureAwait(false);

    /// <summary>Runs <paramref name="commit"/>, and throws <see cref="ReplicationInDoubtException"/> if
    /// the server warned that its wait for a synchronous standby was cancelled.</summary>
    private static async Task<T> WatchedAsync<T>(NpgsqlConnection connection, Func<Task<T>> commit)
    {
        var localOnly = false;
        void OnNotice(object sender, NpgsqlNoticeEventArgs e)
        {
            if (e.Notice.MessageText.StartsWith(CancelledWait, StringComparison.Ordinal))
            {
                localOnly = true;
            }
        }

        T result;
        connection.Notice += OnNotice;
        try
        {
            result = await commit().ConfigureAwait(false);
        }
        finally
        {
            connection.Notice -= OnNotice;
        }

        return localOnly ? throw new ReplicationInDoubtException() : result;
    }
}

/// <summary>A COMMIT returned, but its wait for a synchronous standby was cancelled: committed on the
/// primary, perhaps on no standby. Not an acknowledgement; transient (the re-send is answered from a
/// commit of its own, which a standby confirms).</summary>
public sealed class ReplicationInDoubtException()
    : Exception("The commit's wait for a synchronous standby was cancelled: committed on the primary, perhaps on no standby.");
