using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Orian.Domain;
using Orian.Ledger;
using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// What every ledger store must do, run against each real provider (one fixture line each).
/// The ledger rules are exercised through <see cref="LedgerBatchApplier"/>, the same code the
/// service runs, so a provider passes only if its locking and conditional writes are right.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class LedgerStoreContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private TestDatabase _database = null!;
    private OrianStorage _db = null!;
    private LedgerBatchApplier _applier = null!;

    [SetUp]
    public async Task CreateLedger()
    {
        _database = await CreateDatabaseAsync("store");
        _db = _database.Storage;
        await _db.Schema.MigrateAsync(CancellationToken.None);
        _applier = new LedgerBatchApplier(_db.Ledger, TimeProvider.System);
    }

    private Task<ApplyResult[]> Apply(params Txn[] txns) => _applier.ApplyAsync(txns.Select(t => t.Pending()).ToList(), CancellationToken.None);

    private async Task<AccountRecord> Account(string accountNo = "ACC-1") =>
        await _db.Reads.GetAccountAsync(accountNo, CancellationToken.None) ?? throw new AssertionException($"account {accountNo} does not exist");

    /// <summary>
    /// A confirmation returns exactly the decisions that stand, whatever their keys: identifiers are
    /// printable ASCII at the edge, so quotes, backslashes, <c>$</c> and the like must survive each
    /// provider's list form (SQLite's <c>json_each</c>, PostgreSQL's arrays, SQL Server's <c>OPENJSON</c>),
    /// and versions run to the int64 limit. Keys with no decision and revoked decisions are not
    /// returned; confirming again returns the same and keeps the first time.
    /// </summary>
    [Test]
    public void AConfirmationReturnsExactlyTheDecisionsThatStandWhateverTheirKeys()
    {
        var printable = Gen.Choose('!', '~').Select(c => (char)c);
        var id = from length in Gen.Choose(1, 58) from chars in Gen.ArrayOf(printable, length) select new string(chars);
        var version = Gen.OneOf(Gen.Choose(1, 3).Select(v => (long)v), Gen.Constant(long.MaxValue), Gen.Choose(1, int.MaxValue).Select(v => v * 4_000_000_000L));
        var key = from i in id from v in version select (Id: i, Version: v);
        var sample = from decided in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(key, n))
                     from absent in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(key, n))
                     from revoke in Gen.Choose(0, 1)
                     select (decided, absent, revoke == 1);
        var round = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithQuietOnSuccess(true), Prop.ForAll(sample.ToArbitrary(), s =>
        {
            // Each key of a round gets its own prefix, so rounds and keys never share a transaction.
            var n = Interlocked.Increment(ref round);
            var decided = s.decided.Select((k, i) => new DecisionKey($"{n}.{i}#{k.Id}", k.Version)).ToList();
            var absent = s.absent.Select((k, i) => new DecisionKey($"{n}.x{i}#{k.Id}", k.Version)).ToList();
            _applier.ApplyAsync(decided.Select(k => new Txn { Id = k.TransactionId, Version = k.Version, Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 5 }.Pending()).ToList(),
                CancellationToken.None).GetAwaiter().GetResult();
            var revoked = s.Item3 ? decided[0] : (DecisionKey?)null;
            if (revoked is { } r)
            {
                _database.ExecuteAsync("UPDATE authorisation_decisions SET revoked = @yes WHERE transaction_id = @id AND version = @v", new { yes = true, id = r.TransactionId, v = r.Version })
                    .GetAwaiter().GetResult();
            }

            var expected = decided.Where(k => k != revoked).ToHashSet();
            var asked = decided.Concat(absent).ToList();
            var at = DateTimeOffset.UtcNow;
            var first = _db.Ledger.ConfirmDecisionsAsync(asked, at, CancellationToken.None).GetAwaiter().GetResult();
            var again = _db.Ledger.ConfirmDecisionsAsync(asked, at.AddMinutes(1), CancellationToken.None).GetAwaiter().GetResult();
            var unconfirmed = _database.ScalarAsync<long>($"SELECT count(*) FROM authorisation_decisions WHERE transaction_id LIKE '{n}.%' AND confirmed_at IS NULL")
                .GetAwaiter().GetResult();
            var moved = _database.ScalarAsync<long>($"SELECT count(*) FROM authorisation_decisions WHERE transaction_id LIKE '{n}.%' AND confirmed_at > @later",
                new { later = at.AddSeconds(30) }).GetAwaiter().GetResult();
            return (first.ToHashSet().SetEquals(expected) && again.ToHashSet().SetEquals(expected) && unconfirmed == (revoked is null ? 0 : 1) && moved == 0)
                .Label($"decided {string.Join(" ", decided)}; revoked {revoked}; got {string.Join(" ", first)}");
        }));
    }

    /// <summary>A confirmation whose outcome its instance never learnt (the request answered the
    /// stand-in) is undone by its own time, and only by it: a decision confirmed at another time was
    /// an answer, and stands; one never confirmed is revoked either way; a second revocation changes
    /// nothing.</summary>
    [Test]
    public async Task AConfirmationInDoubtIsRevokedByItsOwnTimeAlone()
    {
        await Apply(new Txn { Id = "FUND", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        await Apply(
            new Txn { Id = "DOUBT", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 },
            new Txn { Id = "ANSWERED", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 200 },
            new Txn { Id = "NEVER", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 300 });
        Assert.That((await Account()).Held, Is.EqualTo(600));
        var attempt = new DateTimeOffset(2026, 12, 6, 17, 0, 0, 123, TimeSpan.Zero);
        DecisionKey doubt = new("DOUBT", 1), answered = new("ANSWERED", 1), never = new("NEVER", 1);
        Assert.That(await _db.Ledger.ConfirmDecisionsAsync([doubt], attempt, CancellationToken.None), Is.EquivalentTo(new[] { doubt }));
        Assert.That(await _db.Ledger.ConfirmDecisionsAsync([answered], attempt.AddMilliseconds(1), CancellationToken.None), Is.EquivalentTo(new[] { answered }));

        var inDoubt = new Dictionary<DecisionKey, DateTimeOffset> { [doubt] = attempt, [answered] = attempt, [never] = attempt };
        Assert.That(await _applier.RevokeUnconfirmedAsync([doubt, answered, never], CancellationToken.None, inDoubt), Is.EqualTo(2));
        Assert.That((await Account()).Held, Is.EqualTo(200), "only the decision confirmed as an answer holds");
        Assert.That(await _applier.RevokeUnconfirmedAsync([doubt, answered, never], CancellationToken.None, inDoubt), Is.Zero, "once");
        Assert.That(await _db.Ledger.ConfirmDecisionsAsync([doubt, never], attempt, CancellationToken.None), Is.Empty, "a revoked decision is never confirmed after");
    }

    /// <summary>The decision invariants, asserted twice: a stored decision that is revoked yet holds
    /// money is refused when read (whoever wrote it), and a decision written as already the answer
    /// must hold nothing.</summary>
    [Test]
    public async Task ADecisionThatBreaksItsInvariantsIsRefusedBeforeTheWriteAndAfterTheRead()
    {
        await Apply(new Txn { Id = "FUND", Direction = "CREDIT", Status = "COMPLETE", Amount = 1_000 });
        await Apply(new Txn { Id = "BENT", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 });
        await _database.ExecuteAsync("UPDATE authorisation_decisions SET revoked = @yes WHERE transaction_id = 'BENT'", new { yes = true });
        Assert.ThrowsAsync<LedgerInvariantException>(() => _applier.RevokeUnconfirmedAsync([new DecisionKey("BENT", 1)], CancellationToken.None));

        var decision = new Orian.Authorisation.Decision(TxnResult.Approved, "APPROVED", null, null, 100, "funds");
        Assert.Throws<LedgerInvariantException>(() => LedgerInvariants.CheckBeforeWrite(
            new DecisionRecord("T", 1, "A", decision, null, 1, false, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Confirmed: true)));
        Assert.DoesNotThrow(() => LedgerInvariants.CheckBeforeWrite(
            new DecisionRecord("T", 1, "A", decision, null, 1, false, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, Confirmed: false)));
    }

    [Test]
    public async Task MigratingTwiceLeavesTheSchemaCurrent()
    {
        await _db.Schema.MigrateAsync(CancellationToken.None);
        var status = await _db.Schema.GetStatusAsync(CancellationToken.None);
        Assert.That(status.IsCurrent, Is.True);
        Assert.That(status.Applied, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task FirstVersionIsAppliedAndOpensTheAccountInItsCurrency()
    {
        var results = await Apply(new Txn { Amount = 100 });
        Assert.That(results[0].Outcome, Is.EqualTo(VersionOutcome.Applied));
        var account = await Account();
        Assert.Multiple(() =>
        {
            Assert.That(account.Currency, Is.EqualTo("GBP"));
            Assert.That(account.Exponent, Is.EqualTo(2));
            Assert.That(account.Held, Is.EqualTo(100));
            Assert.That(account.Posted, Is.Zero);
        });
    }

    [Test]
    public async Task SameVersionWithTheSameBytesIsADuplicateAndChangesNothing()
    {
        await Apply(new Txn { Amount = 100 });
        var results = await Apply(new Txn { Amount = 100 });
        Assert.That(results[0].Outcome, Is.EqualTo(VersionOutcome.Duplicate));
        Assert.That((await Account()).Held, Is.EqualTo(100));
    }

    [Test]
    public async Task SameVersionWrittenDifferentlyIsStillADuplicate()
    {
        await Apply(new Txn { Amount = 100 });
        var txn = new Txn { Amount = 100 };
        var reformatted = txn.Json.Replace(",", ",\n  ", StringComparison.Ordinal);
        var pending = new PendingEvent(txn.Parse(), System.Text.Encoding.UTF8.GetBytes(reformatted), DateTimeOffset.UnixEpoch, PayloadKeys.Development);
        var results = await _applier.ApplyAsync([pending], CancellationToken.None);
        Assert.That(results[0].Outcome, Is.EqualTo(VersionOutcome.Duplicate));
    }

    [Test]
    public async Task SameVersionWithADifferentPayloadIsAConflictAndChangesNothing()
    {
        await Apply(new Txn { Amount = 100 });
        var results = await Apply(new Txn { Amount = 999 });
        Assert.That(results[0].Outcome, Is.EqualTo(VersionOutcome.Conflict));
        Assert.That((await Account()).Held, Is.EqualTo(100));
        var versions = await _db.Reads.GetVersionsAsync("T1", 10, CancellationToken.None);
        Assert.That(versions.Select(v => v.Outcome), Is.EqualTo(new[] { "applied", "conflict" }));
    }

    [Test]
    public async Task LowerVersionIsStaleAndRecorded()
    {
        await Apply(new Txn { Version = 2, Status = "COMPLETE", Amount = 100 });
        var results = await Apply(new Txn { Version = 1, Status = "AUTHORISED", Amount = 100 });
        Assert.That(results[0], Is.EqualTo(new ApplyResult(VersionOutcome.Stale, 2, EventFlags.None)));
        var account = await Account();
        Assert.That((account.Posted, account.Held), Is.EqualTo((-100L, 0L)));
        var versions = await _db.Reads.GetVersionsAsync("T1", 10, CancellationToken.None);
        Assert.That(versions.Select(v => (v.Version, v.Outcome)), Is.EqualTo(new[] { (2L, "applied"), (1L, "stale") }));
    }

    [Test]
    public async Task AuthorisationThenClearingPostsAndReleasesTheHold()
    {
        await Apply(new Txn { Version = 1, Status = "AUTHORISED", Amount = 100 });
        await Apply(new Txn { Version = 2, Status = "COMPLETE", Amount = 100, ClearingAmount = 120 });
        var account = await Account();
        Assert.That((account.Posted, account.Held, account.Available), Is.EqualTo((-120L, 0L, -120L)));
    }

    [Test]
    public async Task JournalExplainsEveryBalanceAndSumsToZeroPerCurrency()
    {
        await Apply(new Txn { Id = "L1", Direction = "CREDIT", Status = "COMPLETE", Amount = 10_000 });
        await Apply(new Txn { Id = "P1", Version = 1, Status = "AUTHORISED", Amount = 2_500 });
        await Apply(new Txn { Id = "P1", Version = 2, Status = "COMPLETE", Amount = 2_500, ClearingAmount = 2_700 });
        await Apply(new Txn { Id = "P2", Version = 1, Status = "AUTHORISED", Amount = 400 });

        var account = await Account();
        var journal = await _db.Reads.GetJournalAsync("ACC-1", 0, 1000, CancellationToken.None);
        var counter = await _db.Reads.GetJournalAsync("scheme:MC:GBP", 0, 1000, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(account.Posted, Is.EqualTo(10_000 - 2_700));
            Assert.That(account.Held, Is.EqualTo(400));
            Assert.That(journal.Where(j => j.Kind == "posting").Sum(j => j.Amount), Is.EqualTo(account.Posted));
            Assert.That(journal.Where(j => j.Kind == "hold").Sum(j => j.Amount), Is.EqualTo(account.Held));
            Assert.That(counter.Sum(j => j.Amount) + journal.Where(j => j.Kind == "posting").Sum(j => j.Amount), Is.Zero);
        });
    }

    [Test]
    public async Task JournalIsPagedByKeyset()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Apply(new Txn { Id = $"P{i}", Amount = i });
        }

        var first = await _db.Reads.GetJournalAsync("ACC-1", 0, 2, CancellationToken.None);
        var second = await _db.Reads.GetJournalAsync("ACC-1", first[^1].Id, 2, CancellationToken.None);
        var third = await _db.Reads.GetJournalAsync("ACC-1", second[^1].Id, 2, CancellationToken.None);
        Assert.That(first.Concat(second).Concat(third).Select(j => j.Amount), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public async Task VersionsOfOneTransactionInOneBatchAreAppliedInArrivalOrder()
    {
        var results = await Apply(
            new Txn { Version = 1, Status = "AUTHORISED", Amount = 100 },
            new Txn { Version = 3, Status = "COMPLETE", Amount = 100 },
            new Txn { Version = 2, Status = "AUTHORISED", Amount = 150 },
            new Txn { Version = 3, Status = "COMPLETE", Amount = 100 });
        Assert.That(results.Select(r => r.Outcome), Is.EqualTo(new[] { VersionOutcome.Applied, VersionOutcome.Applied, VersionOutcome.Stale, VersionOutcome.Duplicate }));
        var account = await Account();
        Assert.That((account.Posted, account.Held), Is.EqualTo((-100L, 0L)));
    }

    [Test]
    public async Task ConflictWithAVersionAppliedEarlierInTheSameBatchIsDetected()
    {
        var results = await Apply(new Txn { Amount = 100 }, new Txn { Amount = 101 }, new Txn { Amount = 100 });
        Assert.That(results.Select(r => r.Outcome), Is.EqualTo(new[] { VersionOutcome.Applied, VersionOutcome.Conflict, VersionOutcome.Duplicate }));
    }

    [Test]
    public async Task CancellationReversesAPostingAndReleasesTheHold()
    {
        await Apply(new Txn { Id = "A", Version = 1, Status = "AUTHORISED", Amount = 300 });
        await Apply(new Txn { Id = "B", Version = 1, Status = "COMPLETE", Amount = 200 });
        await Apply(new Txn { Id = "A", Version = 2, Status = "CANCELLED", Amount = 300 }, new Txn { Id = "B", Version = 2, Status = "CANCELLED", Amount = 200 });
        var account = await Account();
        Assert.That((account.Posted, account.Held), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public async Task AnAmountInAnotherCurrencyThanTheAccountMovesNothingAndIsFlagged()
    {
        await Apply(new Txn { Id = "L1", Direction = "CREDIT", Status = "COMPLETE", Amount = 1000 });
        var results = await Apply(new Txn { Id = "X1", Status = "COMPLETE", Currency = "EUR", Amount = 50 });
        Assert.That(results[0].Flags, Is.EqualTo(EventFlags.CurrencyMismatch));
        Assert.That((await Account()).Posted, Is.EqualTo(1000));
    }

    [Test]
    public async Task UnknownStatusIsStoredFlaggedAndKeepsTheHold()
    {
        await Apply(new Txn { Version = 1, Status = "AUTHORISED", Amount = 100 });
        var results = await Apply(new Txn { Version = 2, Status = "REVIEWED_BY_HUMANS", Amount = 100 });
        Assert.That(results[0], Is.EqualTo(new ApplyResult(VersionOutcome.Applied, 2, EventFlags.UnknownStatus)));
        var txn = await _db.Reads.GetTransactionAsync("T1", CancellationToken.None);
        Assert.That(txn!.Value.State.Status, Is.EqualTo("REVIEWED_BY_HUMANS"));
        Assert.That((await Account()).Held, Is.EqualTo(100));
    }

    [Test]
    public async Task ClearingThatOverdrawsIsAcceptedAndFlagged()
    {
        await Apply(new Txn { Id = "L1", Direction = "CREDIT", Status = "COMPLETE", Amount = 50 });
        var results = await Apply(new Txn { Id = "OFF1", Status = "COMPLETE", Amount = 80 });
        Assert.That(results[0].Flags, Is.EqualTo(EventFlags.Overdrawn));
        Assert.That((await Account()).Available, Is.EqualTo(-30));
    }

    [Test]
    public async Task StoresTheBodyOfAnAppliedVersionAndOnlyTheHashAndTimeOfADuplicate()
    {
        var txn = new Txn { Extra = "kept verbatim" };
        await Apply(txn, txn);
        await using var connection = await _database.ConnectAsync();
        var rows = (await connection.QueryAsync<(string Outcome, byte[] Hash, string? Raw)>(
            "SELECT outcome, payload_hash, raw_json FROM transaction_versions ORDER BY seq")).ToList();
        Assert.That(rows.Select(r => r.Outcome), Is.EqualTo(new[] { "applied", "duplicate" }));
        Assert.That(rows[0].Raw, Is.EqualTo(txn.Json));
        Assert.That(rows[1].Raw, Is.Null, "a re-send does not store the body again");
        Assert.That(rows[1].Hash, Is.EqualTo(rows[0].Hash));
    }

    [Test]
    public async Task TheDatabaseRefusesToRecordOneVersionAsAppliedTwice()
    {
        await Apply(new Txn());
        await using var connection = await _database.ConnectAsync();
        var insert = () => connection.ExecuteAsync(
            "INSERT INTO transaction_versions (transaction_id, version, outcome, payload_hash, flags, raw_json, received_at) " +
            "VALUES ('T1', 1, 'applied', @hash, 0, '{}', @at)", new { hash = new byte[32], at = DateTimeOffset.UnixEpoch });
        Assert.That(insert, Throws.InstanceOf<System.Data.Common.DbException>());
    }

    [Test]
    public async Task TheDatabaseRefusesANegativeHold()
    {
        await Apply(new Txn { Amount = 100 });
        await using var connection = await _database.ConnectAsync();
        var update = () => connection.ExecuteAsync("UPDATE accounts SET held = held - 101 WHERE account_no = 'ACC-1'");
        Assert.That(update, Throws.InstanceOf<System.Data.Common.DbException>());
    }

    [Test]
    public async Task ConcurrentBatchesForTheSameNewTransactionApplyItExactlyOnce()
    {
        var txn = new Txn { Id = "RACE", Amount = 100 };
        var batches = Enumerable.Range(0, 8).Select(_ => Task.Run(() => Apply(txn))).ToArray();
        var outcomes = (await Task.WhenAll(batches)).Select(r => r[0].Outcome).ToList();
        Assert.That(outcomes.Count(o => o == VersionOutcome.Applied), Is.EqualTo(1));
        Assert.That(outcomes.Count(o => o == VersionOutcome.Duplicate), Is.EqualTo(7));
        Assert.That((await Account()).Held, Is.EqualTo(100));
    }
}
