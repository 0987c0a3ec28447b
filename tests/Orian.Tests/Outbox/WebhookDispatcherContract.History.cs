using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orian.Service.Delivery;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>
/// The outbox's history past its retention period, purged against a real database: what is settled
/// (delivered or dead, or wanted by no endpoint) goes with its deliveries and attempt log; what is
/// still to be sent (a pending delivery, an event not fanned out, an event a live lease may still
/// hold) and what is inside the period stays.
/// </summary>
public sealed partial class WebhookDispatcherContract<TProvider>
{
    /// <summary>A day's retention, in pages of two events: a pass crosses kept events and page ends.</summary>
    private OutboxHistoryPurge Purge() => new(_db.OutboxHistory, Options.Create(Settings(o => (o.HistoryRetentionDays, o.BatchSize) = (1, 2))), _time,
        NullLogger<OutboxHistoryPurge>.Instance);

    /// <summary>A credit: one event each (a debit on an empty account would add an overdrawn one).</summary>
    private Task ApplyCreditAsync(string id) => ApplyAsync(new Txn { Id = id, Direction = "CREDIT" });

    private Task<long> AttemptRowsAsync() => _database.ScalarAsync<long>("SELECT count(*) FROM delivery_attempts");

    private async Task<string[]> EventsAsync() =>
        [.. (await _database.QueryAsync<string>("SELECT transaction_id FROM outbox_events")).Order(StringComparer.Ordinal)];

    private async Task<string[]> DeliveriesOfAsync() =>
        [.. (await _database.QueryAsync<string>(
            "SELECT ev.transaction_id FROM webhook_deliveries d JOIN outbox_events ev ON ev.event_id = d.event_id")).Order(StringComparer.Ordinal)];

    private Task DeadAsync(string transactionId) => _database.ExecuteAsync(
        "UPDATE webhook_deliveries SET state = 'dead' WHERE event_id IN (SELECT event_id FROM outbox_events WHERE transaction_id = @transactionId)", new { transactionId });

    [Test]
    public async Task SettledHistoryPastTheRetentionPeriodGoesAndWhatIsStillToBeSentStays()
    {
        // Before any endpoint: events no one wants, settled as they are written (one of them is
        // later left as an older build could leave it, not fanned out).
        await ApplyCreditAsync("OLD-NONE");
        await ApplyCreditAsync("OLD-UNFANNED");
        await EndpointAsync(_receiver.Url);

        // Delivered on its second attempt: an attempt log of its own.
        _receiver.Respond(1, WebhookReceiver.Status(500));
        await ApplyCreditAsync("OLD-RETRIED");
        await DispatcherRun.OnceAsync(Dispatcher());
        _time.Advance(TimeSpan.FromSeconds(6));
        await DispatcherRun.OnceAsync(Dispatcher());
        Assert.That(_receiver.Requests, Has.Count.EqualTo(2));
        Assert.That(await AttemptRowsAsync(), Is.GreaterThanOrEqualTo(1), "the failed attempt is logged");

        await ApplyCreditAsync("OLD-DEAD");
        await DeadAsync("OLD-DEAD");
        await ApplyCreditAsync("OLD-PENDING");
        await _database.ExecuteAsync("UPDATE outbox_events SET fanned_out = @no WHERE transaction_id = 'OLD-UNFANNED'", new { no = false });

        _time.Advance(TimeSpan.FromDays(2));
        await ApplyCreditAsync("NEW-DEAD");
        await DeadAsync("NEW-DEAD");
        Assert.That(await EventsAsync(), Is.EqualTo(new[] { "NEW-DEAD", "OLD-DEAD", "OLD-NONE", "OLD-PENDING", "OLD-RETRIED", "OLD-UNFANNED" }));

        Assert.That(await Purge().PurgeAsync(CancellationToken.None), Is.EqualTo(3));

        Assert.That(await EventsAsync(), Is.EqualTo(new[] { "NEW-DEAD", "OLD-PENDING", "OLD-UNFANNED" }), "settled and a day old: gone; to be sent, or recent: kept");
        Assert.That(await DeliveriesOfAsync(), Is.EqualTo(new[] { "NEW-DEAD", "OLD-PENDING" }));
        Assert.That(await AttemptRowsAsync(), Is.Zero, "the attempt log went with its delivery");
        Assert.That(await Purge().PurgeAsync(CancellationToken.None), Is.Zero, "a second pass finds nothing");

        // The pending delivery, once settled, goes at the next pass.
        await DeadAsync("OLD-PENDING");
        Assert.That(await Purge().PurgeAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await EventsAsync(), Is.EqualTo(new[] { "NEW-DEAD", "OLD-UNFANNED" }));
    }

    /// <summary>A live lease's deliveries have no row until they are recorded, so its events look
    /// settled: the purge never passes the oldest live lease (a cluster down for longer than the
    /// retention period comes back with its leases still to be taken over).</summary>
    [Test]
    public async Task AnEventALiveLeaseMayStillHoldIsKeptWhateverItsAge()
    {
        await ApplyCreditAsync("BEFORE-LEASE");
        _time.Advance(TimeSpan.FromHours(1));
        await _database.ExecuteAsync(
            "INSERT INTO live_leases (owner, endpoint_id, lease_until, deliveries, event_ids, created_at) VALUES (@owner, 'we_gone', @until, 1, 'evt_x', @at)",
            new { owner = "host:live:1", until = _time.GetUtcNow().AddSeconds(30), at = _time.GetUtcNow() });
        _time.Advance(TimeSpan.FromHours(1));
        await ApplyCreditAsync("AFTER-LEASE");
        _time.Advance(TimeSpan.FromDays(3));

        Assert.That(await Purge().PurgeAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await EventsAsync(), Is.EqualTo(new[] { "AFTER-LEASE" }));

        await _database.ExecuteAsync("DELETE FROM live_leases WHERE owner = @owner", new { owner = "host:live:1" });
        Assert.That(await Purge().PurgeAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await EventsAsync(), Is.Empty);
    }
}
