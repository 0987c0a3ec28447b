using Microsoft.Data.SqlClient;
using Orian.Ledger;

namespace Orian.Storage.SqlServer;

/// <summary>
/// The SQL Server half of the one classification of failures (<c>docs/edge.md</c>), by error number.
/// Transient, as on PostgreSQL, when the cause lies in a race or in the environment: a deadlock
/// victim (1205), a lock or query timeout (1222, -2), a snapshot update conflict (3960), a key
/// another instance inserted first (2627, 2601), a conditional batch write that matched fewer rows
/// than were locked (<see cref="RowCountMismatch"/>), a connection refused, cut or not yet available
/// (53, 64, 233, 10053, 10054, 10060, 10928, 10929, 4060, 18456, 40143, 40197, 40501, 40613, 49918,
/// 49919, 49920). Not transient: a CHECK or foreign key the data breaks (547), an arithmetic
/// overflow (8115), a conversion the data fails (245, 8114, 13609), invalid SQL (102, 207, 208) and
/// everything else a retry would meet again.
/// </summary>
public static class SqlServerErrors
{
    /// <summary>Raised by a batch when a conditional write matched fewer rows than it locked.</summary>
    public const int RowCountMismatch = 51001;

    /// <summary>Raised when <c>sp_getapplock</c> does not grant a lock.</summary>
    public const int LockNotTaken = 51002;

    private static readonly HashSet<int> TransientNumbers =
    [
        1205, 1222, -2, 3960, 2627, 2601, RowCountMismatch, LockNotTaken,
        53, 64, 233, 10053, 10054, 10060, 10928, 10929, 4060, 18456, 40143, 40197, 40501, 40613, 49918, 49919, 49920,
    ];

    /// <summary>Whether a SQL Server error number is worth a retry.</summary>
    public static bool IsTransientNumber(int number) => TransientNumbers.Contains(number);

    public static bool IsTransient(Exception exception) => exception switch
    {
        ConcurrencyException or TimeoutException => true,
        SqlException sql => sql.Errors.Cast<SqlError>().Select(e => e.Number).DefaultIfEmpty(sql.Number).Any(IsTransientNumber),
        System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };
}
