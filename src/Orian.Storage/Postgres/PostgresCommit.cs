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

    public static async Task CommitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var localOnly = false;
        void OnNotice(object sender, NpgsqlNoticeEventArgs e)
        {
            if (e.Notice.MessageText.StartsWith(CancelledWait, StringComparison.Ordinal))
            {
                localOnly = true;
            }
        }

        connection.Notice += OnNotice;
        try
        {
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            connection.Notice -= OnNotice;
        }

        if (localOnly)
        {
            throw new ReplicationInDoubtException();
        }
    }
}

/// <summary>A COMMIT returned, but its wait for a synchronous standby was cancelled: committed on the
/// primary, perhaps on no standby. Not an acknowledgement; transient (the re-send is answered from a
/// commit of its own, which a standby confirms).</summary>
public sealed class ReplicationInDoubtException()
    : Exception("The commit's wait for a synchronous standby was cancelled: committed on the primary, perhaps on no standby.");
