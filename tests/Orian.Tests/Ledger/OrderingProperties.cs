using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Orian.Ledger;
using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Ledger;

/// <summary>
/// The heart of the ledger: whatever the arrival order, duplication and batching of the versions,
/// balances end equal to applying only each transaction's highest version. Run through the real
/// applier on each real database, with the ledger's invariants checked every time. Authorisation
/// requests are in the mix, decided by the applier as in service: the accounts are funded first so
/// that every decision approves in full whatever came before, which makes the decision (and so the
/// hold) independent of the order too.
/// </summary>
/// <remarks>Unknown status/result values are left out on purpose: they keep the previous version's
/// effect, so for them the outcome legitimately depends on which version came before (the pure
/// plan's property checks the invariants with them).</remarks>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class OrderingProperties<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private OrianStorage _db = null!;

    /// <summary>Cases per run: each case applies its versions twice, on a real database.</summary>
    private static int Cases => Provider.Name == "sqlite" ? 150 : 60;

    [SetUp]
    public async Task CreateLedger()
    {
        _db = (await CreateDatabaseAsync("ordering")).Storage;
        await _db.Schema.MigrateAsync(CancellationToken.None);
    }

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

    private static readonly Gen<OrderingScenario> Scenarios = OrderingProperties.ScenariosOf([.. OrderingProperties.Statuses, "AUTHORISATION_REQUESTED"], OrderingProperties.Results);

    /// <summary>Credits that cover every hold a scenario can ask for (four transactions of at most 10,000).</summary>
    private static readonly Txn[] Funding = OrderingProperties.Accounts
        .Select(a => new Txn { Id = $"FUND-{a}", Direction = "CREDIT", Status = "COMPLETE", Account = a, Amount = 1_000_000 }).ToArray();

    private static string Show(IEnumerable<(string Account, long Posted, long Held)> balances) =>
        string.Join(", ", balances.Select(b => $"{b.Account}: posted {b.Posted} held {b.Held}"));

    private Outcome Run(IReadOnlyList<Txn> deliveries, int[] batchSizes)
    {
        Empty();
        var applier = new LedgerBatchApplier(_db.Ledger, TimeProvider.System);
        applier.ApplyAsync(Funding.Select(f => f.Pending()).ToList(), CancellationToken.None).GetAwaiter().GetResult();
        var index = 0;
        for (var b = 0; index < deliveries.Count; b++)
        {
            var size = Math.Min(batchSizes[b % batchSizes.Length], deliveries.Count - index);
            var batch = deliveries.Skip(index).Take(size).Select(t => t.Pending()).ToList();
            applier.ApplyAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
            index += size;
        }

        using var connection = _db.Database.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var balances = OrderingProperties.Accounts.Select(a =>
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

    /// <summary>Empties the ledger between runs (one database for the whole property).</summary>
    private void Empty()
    {
        using var connection = _db.Database.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        foreach (var table in new[] { "journal", "transaction_versions", "authorisation_decisions", "outbox_events", "transactions", "accounts" })
        {
            connection.Execute($"DELETE FROM {table}");
        }
    }

    private sealed record Outcome(List<(string Account, long Posted, long Held)> Balances, bool InvariantsHold);
}

/// <summary>The scenarios of the ordering properties (shared with the pure plan's).</summary>
internal static class OrderingProperties
{
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

    /// <summary>Up to four transactions of up to four versions each, delivered shuffled, duplicated
    /// and in batches of one to five.</summary>
    internal static Gen<OrderingScenario> ScenariosOf(string[] statuses, string[] results) =>
        from transactionCount in Gen.Choose(1, 4)
        from transactions in Gen.CollectToList(Enumerable.Range(1, transactionCount), i => TransactionOf(i, statuses, results))
        let versions = transactions.SelectMany(t => t).ToList()
        from copies in Gen.ArrayOf(Gen.Choose(1, 3), versions.Count)
        let deliveries = versions.SelectMany((v, i) => Enumerable.Repeat(v, copies[i])).ToArray()
        from shuffled in Gen.Shuffle(deliveries)
        from batchSizes in Gen.ArrayOf(Gen.Choose(1, 5), shuffled.Length)
        select new OrderingScenario(transactions.Select(t => t.ToList()).ToList(), shuffled.ToList(), batchSizes);

}

/// <summary>Versions of some transactions, as delivered (shuffled, duplicated) and in batches.</summary>
internal sealed record OrderingScenario(List<List<Txn>> Transactions, List<Txn> Deliveries, int[] BatchSizes)
{
    public override string ToString() =>
        string.Join(" | ", Deliveries.Select(d => $"{d.Id}v{d.Version} {d.Status}/{d.Result} {d.Direction} {d.Account}{(d.PayeeAccount is null ? "" : "->" + d.PayeeAccount)} {d.Amount}/{d.ClearingAmount}/{d.ApprovedAmount}"))
        + $" in batches of [{string.Join(",", BatchSizes)}]";
}
