using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using Orian.Ledger;
using Orian.Storage;
using Orian.Storage.Postgres;
using Orian.Storage.Sqlite;
using Orian.Tests.Support;

namespace Orian.Tests.Ledger;

/// <summary>
/// The heart of the ledger: whatever the arrival order, duplication and batching of the versions,
/// balances end equal to applying only each transaction's highest version. Run through the real
/// applier on a real (SQLite) database, with the ledger's invariants checked every time.
/// </summary>
/// <remarks>Unknown status/result values are left out on purpose: they keep the previous version's
/// effect, so for them the outcome legitimately depends on which version came before.</remarks>
public abstract class OrderingProperties
{
    /// <summary>An empty, migrated ledger, and a connection to read it back.</summary>
    protected abstract LedgerDatabase FreshLedger();

    protected abstract System.Data.Common.DbConnection Connect();

    /// <summary>Cases per run: each case applies its versions twice, on a real database.</summary>
    protected abstract int Cases { get; }

    internal static readonly string[] Statuses = ["AUTHORISED", "COMPLETE", "CANCELLED", "EXPIRED", "MANUALLY_EXPIRED"];
    internal static readonly string[] Results = ["APPROVED", "DECLINED", "PARTIALLY_APPROVED", "APPROVED_WITH_EXCEPTION"];
    internal static readonly string[] Accounts = ["ACC-1", "ACC-2"];

    /// <summary>A version; <paramref name="direction"/> "TRANSFER" is a debit from one of the two
    /// accounts to the other (both legs move).</summary>
    private static Gen<Txn> VersionOf(string id, long version, string direction, string[] statuses, string[] results) =>
        from status in Gen.Elements(statuses)
        from result in Gen.Elements(results)
        from account in Gen.Elements(Accounts)
        from amount in Gen.Choose(1, 10_000)
        from clearing in Gen.Frequency((3, Gen.Constant<long?>(null)), (1, Gen.Choose(1, 12_000).Select(c => (long?)c)))
        from approved in Gen.Choose(1, 10_000)
        select new Txn
        {
            Id = id,
            Version = version,
            Status = status,
            Result = status == "AUTHORISATION_REQUESTED" ? null : result,
            Direction = direction == "TRANSFER" ? "DEBIT" : direction,
            Account = account,
            PayeeAccount = direction == "TRANSFER" ? Accounts.Single(a => a != account) : null,
            Amount = amount,
            ClearingAmount = clearing,
            ApprovedAmount = result == "PARTIALLY_APPROVED" ? approved : null,
        };

    private static Gen<List<Txn>> TransactionOf(int index, string[] statuses, string[] results) =>
        from direction in Gen.Frequency((3, Gen.Constant("DEBIT")), (1, Gen.Constant("CREDIT")), (2, Gen.Constant("TRANSFER")))
        from count in Gen.Choose(1, 4)
        from firstVersion in Gen.Choose(0, 2)
        from versions in Gen.CollectToList(Enumerable.Range(firstVersion, count), v => VersionOf($"T{index}", v, direction, statuses, results))
        select versions.ToList();

    private static readonly Gen<Scenario> Scenarios = ScenariosOf(Statuses, Results);

    /// <summary>Up to four transactions of up to four versions each, delivered shuffled, duplicated
    /// and in batches of one to five.</summary>
    internal static Gen<Scenario> ScenariosOf(string[] statuses, string[] results) =>
        from transactionCount in Gen.Choose(1, 4)
        from transactions in Gen.CollectToList(Enumerable.Range(1, transactionCount), i => TransactionOf(i, statuses, results))
        let versions = transactions.SelectMany(t => t).ToList()
        from copies in Gen.ArrayOf(Gen.Choose(1, 3), versions.Count)
        let deliveries = versions.SelectMany((v, i) => Enumerable.Repeat(v, copies[i])).ToArray()
        from shuffled in Gen.Shuffle(deliveries)
        from batchSizes in Gen.ArrayOf(Gen.Choose(1, 5), shuffled.Length)
        select new Scenario(transactions.Select(t => t.ToList()).ToList(), shuffled.ToList(), batchSizes);

    [Test]
    public void AnyOrderAndDuplicationEndsWithTheBalancesOfTheHighestVersions() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true), Prop.ForAll(Scenarios.ToArbitrary(), scenario =>
        {
            var delivered = Run(scenario.Deliveries, scenario.BatchSizes);
            var highestOnly = Run(scenario.Transactions.Select(t => t.MaxBy(v => v.Version)!).ToList(), [1]);
            return delivered.Balances.SequenceEqual(highestOnly.Balances)
                .Label($"delivered {Show(delivered.Balances)} vs highest only {Show(highestOnly.Balances)}")
                .And(delivered.InvariantsHold.Label("held = sum of transaction holds; posted = sum of journal postings; journal sums to zero per currency"));
        }));

    private static string Show(IEnumerable<(string Account, long Posted, long Held)> balances) =>
        string.Join(", ", balances.Select(b => $"{b.Account}: posted {b.Posted} held {b.Held}"));

    private Outcome Run(IReadOnlyList<Txn> deliveries, int[] batchSizes)
    {
        var db = FreshLedger();
        var applier = new LedgerBatchApplier(db, TimeProvider.System);
        var index = 0;
        for (var b = 0; index < deliveries.Count; b++)
        {
            var size = Math.Min(batchSizes[b % batchSizes.Length], deliveries.Count - index);
            var batch = deliveries.Skip(index).Take(size).Select(t => t.Pending()).ToList();
            applier.ApplyAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            index += size;
        }

        using var connection = Connect();
        var balances = Accounts.Select(a =>
        {
            var row = connection.QuerySingleOrDefault<(long Posted, long Held)?>("SELECT posted, held FROM accounts WHERE account_no = @a", new { a });
            return (a, row?.Posted ?? 0, row?.Held ?? 0);
        }).ToList();
        var invariants = connection.ExecuteScalar<long>("""
            SELECT
              (SELECT count(*) FROM accounts a WHERE a.held <> (SELECT coalesce(sum(effect_held), 0) FROM transactions t WHERE t.effect_account = a.account_no))
            + (SELECT count(*) FROM accounts a WHERE a.posted <> (SELECT coalesce(sum(amount), 0) FROM journal j WHERE j.account_no = a.account_no AND j.kind = 'posting'))
            + (SELECT count(*) FROM (SELECT currency FROM journal WHERE kind = 'posting' GROUP BY currency HAVING sum(amount) <> 0) unbalanced)
            """) == 0;
        return new Outcome(balances, invariants);
    }

    internal sealed record Scenario(List<List<Txn>> Transactions, List<Txn> Deliveries, int[] BatchSizes)
    {
        public override string ToString() =>
            string.Join(" | ", Deliveries.Select(d => $"{d.Id}v{d.Version} {d.Status}/{d.Result} {d.Direction} {d.Account}{(d.PayeeAccount is null ? "" : "->" + d.PayeeAccount)} {d.Amount}/{d.ClearingAmount}/{d.ApprovedAmount}"))
            + $" in batches of [{string.Join(",", BatchSizes)}]";
    }

    private sealed record Outcome(List<(string Account, long Posted, long Held)> Balances, bool InvariantsHold);
}

[TestFixture]
public sealed class SqliteOrderingProperties : OrderingProperties
{
    private readonly List<string> _files = [];

    protected override int Cases => 150;

    protected override LedgerDatabase FreshLedger()
    {
        var file = Path.Combine(Path.GetTempPath(), $"orian-prop-{Guid.NewGuid():N}.db");
        _files.Add(file);
        var db = new SqliteLedgerDatabase($"Data Source={file}");
        db.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        return db;
    }

    protected override System.Data.Common.DbConnection Connect() => new SqliteConnection($"Data Source={_files[^1]}");

    [TearDown]
    public void DeleteFiles()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in _files)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(file + suffix);
            }
        }

        _files.Clear();
    }
}

/// <summary>The same property on PostgreSQL: one database, emptied before each run.</summary>
[TestFixture]
public sealed class PostgresOrderingProperties : OrderingProperties
{
    private string _connectionString = "";
    private PostgresLedgerDatabase? _db;

    protected override int Cases => 60;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("ordering");
        _db = new PostgresLedgerDatabase(_connectionString);
        await _db.MigrateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task DisposeDatabase()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    protected override LedgerDatabase FreshLedger()
    {
        using var connection = Connect();
        connection.Execute("TRUNCATE accounts, transactions, transaction_versions, journal, authorisation_decisions, authorisation_standins, outbox_events CASCADE");
        return _db!;
    }

    protected override System.Data.Common.DbConnection Connect() => new Npgsql.NpgsqlConnection(_connectionString);
}
