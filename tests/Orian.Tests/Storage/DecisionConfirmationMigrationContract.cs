using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// A ledger left by the build before decisions were confirmed, with stand-in records still open,
/// opened by this one: the decision whose request had answered the stand-in before it was made is
/// revoked at the first start; every other one stands as its request's answer, a re-sent request's
/// later decision included; a decision revoked before stays revoked and unconfirmed; the stand-in
/// records are gone.
/// </summary>
[TestFixture(typeof(Sqlite))]
[TestFixture(typeof(Postgres))]
public sealed class DecisionConfirmationMigrationContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    [Test]
    public async Task OpenStandInsOfTheOldBuildAreSettledByTheNewRules()
    {
        var database = await CreateDatabaseAsync("confirm");
        var storage = database.Storage;
        var script = SchemaScript.For(storage.Database.Name).Single(s => s.Name.EndsWith("decision_confirmations", StringComparison.Ordinal));
        await new SchemaMigrator(storage.Database).MigrateAsync(script.Id - 1, CancellationToken.None);

        var decided = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        foreach (var (id, hold, revoked) in new[] { ("ANSWERED", 100L, false), ("LATE", 200L, false), ("RESENT", 300L, false), ("REVOKED", 0L, true) })
        {
            await database.ExecuteAsync("""
                INSERT INTO authorisation_decisions (transaction_id, version, account_no, result, result_detail, result_message, approved_amount, hold_amount,
                    amount, currency, exponent, reason, latency_ms, timed_out, revoked, decided_at)
                VALUES (@id, 1, 'ACC-1', @result, @detail, NULL, NULL, @hold, 400, 'GBP', 2, 'old build', 3.0, @revoked, @revoked, @decided)
                """, new { id, hold, revoked, result = revoked ? "DECLINED" : "APPROVED", detail = revoked ? "SYSTEM_ERROR" : "APPROVED", decided });
        }

        // LATE: answered with the stand-in a second after its decision (a late commit, never settled).
        // RESENT: its stand-in was answered before the decision was made (a re-send decided later).
        foreach (var (id, answered) in new[] { ("LATE", decided.AddSeconds(1)), ("RESENT", decided.AddSeconds(-1)), ("REVOKED", decided.AddSeconds(1)) })
        {
            await database.ExecuteAsync("""
                INSERT INTO authorisation_standins (transaction_id, version, result, result_detail, reason, answered_at)
                VALUES (@id, 1, 'DECLINED', 'SYSTEM_ERROR', 'deadline', @answered)
                """, new { id, answered });
        }

        await using var service = await database.StartServiceAsync(null, new() { ["Orian:Authorisation:ConfirmGraceMs"] = "0" });
        var rows = (await database.QueryAsync<(string Id, bool Revoked, long Hold, string? Confirmed)>(
            "SELECT transaction_id, revoked, hold_amount, CAST(confirmed_at AS text) FROM authorisation_decisions")).ToDictionary(r => r.Id);
        Assert.Multiple(() =>
        {
            Assert.That((rows["ANSWERED"].Revoked, rows["ANSWERED"].Hold, rows["ANSWERED"].Confirmed is not null), Is.EqualTo((false, 100L, true)));
            Assert.That((rows["LATE"].Revoked, rows["LATE"].Hold, rows["LATE"].Confirmed), Is.EqualTo((true, 0L, (string?)null)), "revoked at the first start");
            Assert.That((rows["RESENT"].Revoked, rows["RESENT"].Hold, rows["RESENT"].Confirmed is not null), Is.EqualTo((false, 300L, true)));
            Assert.That((rows["REVOKED"].Revoked, rows["REVOKED"].Hold, rows["REVOKED"].Confirmed), Is.EqualTo((true, 0L, (string?)null)), "revoked before, still");
        });
        Assert.That(await service.UnconfirmedDecisionsAsync(), Is.Zero);
        Assert.ThrowsAsync(Is.InstanceOf<Exception>(), () => database.ScalarAsync<long>("SELECT count(*) FROM authorisation_standins"), "the stand-in records are gone");
    }
}
