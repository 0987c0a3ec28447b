using FsCheck;
using FsCheck.Fluent;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Tests.Support;

namespace Orian.Tests.Ledger;

/// <summary>
/// The ordering property straight through the pure batch plan, thousands of cases a run: each
/// batch is planned from an in-memory ledger and its changes are applied back, as a store would.
/// Without authorisation requests and unknown values, any order, duplication and batching ends at
/// the balances of the highest versions; with them (their outcome legitimately depends on what came
/// before), the ledger's invariants still hold after every batch.
/// </summary>
public sealed class PurePlanProperties
{
    private static readonly string[] AllStatuses = [.. OrderingProperties.Statuses, "AUTHORISATION_REQUESTED", "SOMETHING_NEW"];
    private static readonly string[] AllResults = [.. OrderingProperties.Results, "NOT_A_RESULT"];

    [Test]
    public void AnyOrderDuplicationAndBatchingEndAtTheHighestVersionsBalances() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true), Prop.ForAll(
            OrderingProperties.ScenariosOf(OrderingProperties.Statuses, OrderingProperties.Results).ToArbitrary(), scenario =>
            {
                var delivered = MemoryLedger.Run(scenario.Deliveries, scenario.BatchSizes);
                var highestOnly = MemoryLedger.Run(scenario.Transactions.Select(t => t.MaxBy(v => v.Version)!).ToList(), [1]);
                return delivered.Balances().SequenceEqual(highestOnly.Balances())
                    .Label($"delivered {string.Join(", ", delivered.Balances())} vs highest only {string.Join(", ", highestOnly.Balances())}")
                    .And((delivered.Violation() ?? "").Length == 0).Label(delivered.Violation() ?? "");
            }));

    [Test]
    public void WithAuthorisationRequestsAndUnknownValuesTheInvariantsHoldAfterEveryBatch() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true), Prop.ForAll(
            OrderingProperties.ScenariosOf(AllStatuses, AllResults).ToArbitrary(), scenario =>
            {
                var ledger = new MemoryLedger();
                var violation = ledger.Fund(); // money to decide against
                var index = 0;
                for (var b = 0; violation is null && index < scenario.Deliveries.Count; b++)
                {
                    var size = Math.Min(scenario.BatchSizes[b % scenario.BatchSizes.Length], scenario.Deliveries.Count - index);
                    ledger.Apply(scenario.Deliveries.Skip(index).Take(size).Select(t => t.Pending()).ToList());
                    violation = ledger.Violation();
                    index += size;
                }

                return (violation is null).Label(violation ?? "");
            }));

    /// <summary>A ledger in memory, holding what a store holds, applying what a store writes.</summary>
    private sealed class MemoryLedger
    {
        private readonly Dictionary<string, TransactionState> _transactions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
        private readonly List<JournalLine> _journal = [];
        private readonly Dictionary<(string, long), AppliedBody> _appliedBodies = [];
        private readonly HashSet<(string, string)> _bodies = [];
        private readonly Dictionary<(string, long), Decision> _decisions = [];
        private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

        public static MemoryLedger Run(IReadOnlyList<Txn> deliveries, int[] batchSizes)
        {
            var ledger = new MemoryLedger();
            var index = 0;
            for (var b = 0; index < deliveries.Count; b++)
            {
                var size = Math.Min(batchSizes[b % batchSizes.Length], deliveries.Count - index);
                ledger.Apply(deliveries.Skip(index).Take(size).Select(t => t.Pending()).ToList());
                index += size;
            }

            return ledger;
        }

        public string? Fund()
        {
            foreach (var account in OrderingProperties.Accounts)
            {
                Apply([new Txn { Id = $"FUND-{account}", Account = account, Direction = "CREDIT", Status = "COMPLETE", Amount = 5_000 }.Pending()]);
            }

            return Violation();
        }

        public IEnumerable<(string Account, long Posted, long Held)> Balances() =>
            OrderingProperties.Accounts.Select(a => _accounts.TryGetValue(a, out var s) ? (a, s.Posted, s.Held) : (a, 0L, 0L));

        public void Apply(IReadOnlyList<PendingEvent> batch)
        {
            _now = _now.AddSeconds(1);
            var transactions = batch.Select(p => p.Event.Id).Distinct().Where(_transactions.ContainsKey).ToDictionary(id => id, id => _transactions[id], StringComparer.Ordinal);
            var named = batch.SelectMany(p => p.Event.TouchedAccounts())
                .Concat(transactions.Values.Select(t => t.Effect.AccountNo).OfType<string>())
                .Concat(transactions.Values.Where(t => t.Effect.CounterIsAccount).Select(t => t.Effect.CounterAccount!));
            var accounts = named.Distinct().Where(_accounts.ContainsKey).ToDictionary(a => a, a => _accounts[a], StringComparer.Ordinal);
            var plan = new BatchPlan(new LockedRows(transactions, accounts, new Dictionary<string, (AccountControls, long)>()), Read(PlanData.For(batch, transactions)),
                AuthorisationPolicy.Default, _now);
            foreach (var pending in batch)
            {
                plan.Apply(pending);
            }

            Write(plan.ToChanges());
        }

        private PlanData Read(PlanReads reads)
        {
            var data = new PlanData();
            foreach (var key in reads.AppliedBodies.Where(_appliedBodies.ContainsKey))
            {
                data.AppliedBodies[key] = _appliedBodies[key];
            }

            foreach (var (id, hash) in reads.StoredBodies.Where(k => _bodies.Contains((k.Id, Convert.ToHexString(k.Hash)))))
            {
                data.StoredBodies.Add((id, Convert.ToHexString(hash)));
            }

            foreach (var key in reads.Decisions.Where(_decisions.ContainsKey))
            {
                data.Decisions[key] = _decisions[key];
            }

            return data;
        }

        private void Write(LedgerChanges changes)
        {
            foreach (var write in changes.Transactions)
            {
                var stored = _transactions.GetValueOrDefault(write.State.Id)?.Version;
                Assert.That(stored, Is.EqualTo(write.ExpectedVersion), "a conditional write finds what the plan read");
                _transactions[write.State.Id] = write.State;
            }

            foreach (var a in changes.Accounts)
            {
                var (posted, held) = _accounts.TryGetValue(a.AccountNo, out var s) ? (s.Posted, s.Held) : (0L, 0L);
                Assert.That(a.IsNew, Is.EqualTo(!_accounts.ContainsKey(a.AccountNo)), a.AccountNo);
                _accounts[a.AccountNo] = new AccountState(a.AccountNo, a.Currency, a.Exponent, checked(posted + a.PostedDelta), checked(held + a.HeldDelta));
            }

            _journal.AddRange(changes.Journal);
            foreach (var v in changes.Versions.Where(v => v.RawJson is not null))
            {
                _bodies.Add((v.TransactionId, Convert.ToHexString(v.PayloadHash)));
                if (v.Outcome == VersionOutcome.Applied)
                {
                    _appliedBodies[(v.TransactionId, v.Version)] = new AppliedBody(v.RawJson!, v.RedactedHash, v.PayloadKeyId);
                }
            }

            foreach (var d in changes.Decisions)
            {
                Assert.That(_decisions.TryAdd((d.TransactionId, d.Version), d.Decision), Is.True, "one decision per version");
            }
        }

        /// <summary>The first broken invariant, or null: held ≥ 0 and equal to the transactions'
        /// holds; posted equal to the account's postings; postings net to zero per currency.</summary>
        public string? Violation()
        {
            foreach (var (accountNo, account) in _accounts)
            {
                var holds = _transactions.Values.Where(t => t.Effect.AccountNo == accountNo).Sum(t => t.Effect.Held);
                var postings = _journal.Where(j => j.AccountNo == accountNo && j.Kind == JournalKind.Posting).Sum(j => j.Amount);
                var heldLines = _journal.Where(j => j.AccountNo == accountNo && j.Kind == JournalKind.Hold).Sum(j => j.Amount);
                if (account.Held < 0 || account.Held != holds || account.Held != heldLines)
                {
                    return $"{accountNo}: held {account.Held}, transactions hold {holds}, hold lines {heldLines}";
                }

                if (account.Posted != postings)
                {
                    return $"{accountNo}: posted {account.Posted}, postings {postings}";
                }
            }

            foreach (var currency in _journal.Where(j => j.Kind == JournalKind.Posting).GroupBy(j => j.Currency))
            {
                if (currency.Sum(j => j.Amount) != 0)
                {
                    return $"postings in {currency.Key} do not net to zero";
                }
            }

            return null;
        }
    }
}
