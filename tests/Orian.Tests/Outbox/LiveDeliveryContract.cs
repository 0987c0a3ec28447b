using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orian.Delivery;
using Orian.Ledger;
using Orian.Outbox;
using Orian.Security;
using Orian.Service.Configuration;
using Orian.Service.Delivery;
using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>
/// The live path against a real database and a real receiver on 127.0.0.1, with the dispatcher's real
/// loops running: a ledger batch leases its deliveries to the dispatcher and hands them over after its
/// commit, and they go out with no claim. Then the process "dies" at each named kill point (after the
/// ledger commit and before the send; after the send and before the record; after a claim and before
/// the send) and a second dispatcher, once the lease runs out, delivers what the first left: nothing is
/// lost, and a delivery goes out again only when the first may have sent it (same webhook-id).
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class LiveDeliveryContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private OrianStorage _db = null!;
    private ManualTimeProvider _time = null!;
    private WebhookReceiver _receiver = null!;

    [SetUp]
    public async Task SetUp()
    {
        _db = (await CreateDatabaseAsync("live")).Storage;
        await _db.Schema.MigrateAsync(CancellationToken.None);
        _time = new ManualTimeProvider(Start);
        _receiver = await WebhookReceiver.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    private const int LeaseSeconds = 30;

    private WebhookDispatcher Dispatcher(IOutboxQueue? store = null, int liveDepth = 512, int requestTimeoutMs = 2000, int perEndpoint = 64) =>
        new(store ?? _db.Queue, Options.Create(new OutboxOptions
        {
            RetrySchedule = "5s,1m", LeaseSeconds = LeaseSeconds, RequestTimeoutMs = requestTimeoutMs, SlowAnswerMs = requestTimeoutMs, PollIntervalMs = 20,
            LiveDepthPerEndpoint = liveDepth, MaxConcurrencyPerEndpoint = perEndpoint, AllowedPrivateNetworks = TestService.LoopbackNetworks,
        }), _time, new OutboxSignal(), new OrchestratorClient(Options.Create(new OrchestratorOptions()), _time, NullLogger<OrchestratorClient>.Instance),
            NullLogger<WebhookDispatcher>.Instance);

    /// <summary>Runs a ledger batch as the service does, its deliveries offered to <paramref name="live"/>.</summary>
    private Task ApplyAsync(string id, ILiveDeliveries live) => ApplyAsync(live, id);

    /// <summary>One ledger batch of a new transaction per id.</summary>
    private Task ApplyAsync(ILiveDeliveries live, params string[] ids) =>
        new LedgerBatchApplier(_db.Ledger, _time, live: live).ApplyAsync([.. ids.Select(id => new Txn { Id = id }.Pending(_time.GetUtcNow()))], CancellationToken.None);

    /// <summary>The live leases standing: owner, endpoint, how many deliveries, their events.</summary>
    private async Task<List<(string Owner, string EndpointId, int Deliveries, string EventIds)>> LiveLeasesAsync()
    {
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<(string, string, int, string)>("SELECT owner, endpoint_id, deliveries, event_ids FROM live_leases ORDER BY owner")).AsList();
    }

    /// <summary>A ledger batch of <paramref name="id"/> whose dispatcher dies between the commit and the
    /// hand-over: the batch wrote its lease and no delivery row, and nothing is sent. Returns that lease.</summary>
    private async Task<(string Owner, string EndpointId, int Deliveries, string EventIds)> LeaseLeftByADeadDispatcherAsync(string id)
    {
        var first = Dispatcher();
        await using (DispatcherRun.Start(first))
        {
            await ApplyAsync(id, new DiesBeforeHandOver(first));
        }

        return (await LiveLeasesAsync()).Single();
    }

    private async Task<List<DeliveryRow>> DeliveriesAsync() => [.. await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None)];

    private async Task<string> EndpointAsync()
    {
        var id = "we_live_" + Guid.NewGuid().ToString("N")[..8];
        await _db.Endpoints.CreateEndpointAsync(new WebhookEndpointRow
        {
            Id = id, Url = _receiver.Url, Events = EventTypes.TransactionUpdated,
            Secret = StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Status = "enabled", CreatedAt = _time.GetUtcNow(), UpdatedAt = _time.GetUtcNow(),
        }, Operators.Test(_time.GetUtcNow()), CancellationToken.None);
        return id;
    }

    private async Task<DeliveryRow> OnlyDeliveryAsync()
    {
        var all = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
        Assert.That(all, Has.Count.EqualTo(1));
        return all[0];
    }

    private async Task<(string? Owner, long AttemptRows)> LeaseAndAttemptRowsAsync(long deliveryId)
    {
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
        var owner = await connection.ExecuteScalarAsync<string?>("SELECT lease_owner FROM webhook_deliveries WHERE id = @deliveryId", new { deliveryId });
        var rows = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM delivery_attempts WHERE delivery_id = @deliveryId", new { deliveryId });
        return (owner, rows);
    }

    private Task DeliveredAsync(string what) =>
        Until.TrueAsync(async () => (await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None)).All(d => d.State == "delivered"), what);

    [Test]
    public async Task ABatchsDeliveryGoesOutFromMemoryWithNoClaimAndItsFirstSuccessLeavesNoAttemptRow()
    {
        await EndpointAsync();
        var store = new CountingQueue(_db.Queue);
        var dispatcher = Dispatcher(store);
        await using (DispatcherRun.Start(dispatcher))
        {
            await ApplyAsync("LIVE1", dispatcher);
            await Until.TrueAsync(() => Task.FromResult(_receiver.Requests.Count == 1), "the webhook arrives");
            await DeliveredAsync("the delivery is recorded");
        }

        var delivery = await OnlyDeliveryAsync();
        Assert.That(store.Claimed, Is.Zero, "no claim took it: the batch handed it over");
        Assert.That(delivery.Attempts, Is.EqualTo(1));
        Assert.That(await LeaseAndAttemptRowsAsync(delivery.Id), Is.EqualTo(((string?)null, 0L)), "written unleased, no row in the attempt log");
        Assert.That(await LiveLeasesAsync(), Is.Empty, "the batch's lease went with its last delivery's record");
        var log = (await _db.Deliveries.GetDeliveryAsync(delivery.Id, CancellationToken.None))!.Value.Attempts;
        Assert.That(log.Select(a => (a.Attempt, a.StatusCode, a.LatencyMs)), Is.EqualTo(new[] { (1, (int?)200, (double?)null) }),
            "the attempt shows from its delivery's row, without a latency");
        Assert.That(_receiver.Requests.Single().Id, Is.EqualTo(delivery.EventId));
    }

    [Test]
    public async Task AnEndpointsLaneWithoutRoomLeavesTheBatchsDeliveriesToTheClaims()
    {
        await EndpointAsync();
        var store = new CountingQueue(_db.Queue);
        var dispatcher = Dispatcher(store, liveDepth: 0);
        await using (DispatcherRun.Start(dispatcher))
        {
            await ApplyAsync("FULL1", dispatcher);
            var (owner, _) = await LeaseAndAttemptRowsAsync((await OnlyDeliveryAsync()).Id);
            await DeliveredAsync("the claims deliver it");
            Assert.That(owner is null || owner.Contains(":claim:", StringComparison.Ordinal), $"written unleased (then claimed), not live: {owner}");
        }

        Assert.That(store.Claimed, Is.EqualTo(1));
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task KillPointAfterTheLedgerCommitBeforeTheSend_TheClaimsSendItOnceItsLeaseRunsOut()
    {
        var endpoint = await EndpointAsync();
        var lease = await LeaseLeftByADeadDispatcherAsync("KILL1");

        Assert.That(await DeliveriesAsync(), Is.Empty, "a live delivery has no row until it is recorded");
        Assert.That((lease.Owner, lease.EndpointId, lease.Deliveries), Is.EqualTo((lease.Owner, endpoint, 1)));
        Assert.That(lease.Owner, Does.Contain(":live:"), "leased to the dead dispatcher");
        var stats = (await _db.Deliveries.GetStatsAsync(_time.GetUtcNow(), CancellationToken.None)).Single(r => r.EndpointId == endpoint);
        Assert.That((stats.Pending, stats.Leased, stats.OldestPendingAt), Is.EqualTo((1L, 1L, (DateTimeOffset?)Start)), "the operators' view counts it pending and leased");
        Assert.That((await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None)).Live, Is.EqualTo(1));
        Assert.That(_receiver.Requests, Is.Empty);

        var store = new CountingQueue(_db.Queue);
        await using (DispatcherRun.Start(Dispatcher(store)))
        {
            _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
            await Until.TrueAsync(async () => (await DeliveriesAsync()) is [{ State: "delivered" }], "the next dispatcher takes the lease over and claims it");
        }

        var delivery = await OnlyDeliveryAsync();
        Assert.That(store.Claimed, Is.EqualTo(1));
        Assert.That(await LiveLeasesAsync(), Is.Empty, "taken over");
        Assert.That(_receiver.Requests.Select(r => r.Id), Is.EqualTo(new[] { delivery.EventId }), "sent once");
        Assert.That(delivery.CreatedAt, Is.EqualTo(Start), "queued when its batch committed");
    }

    [Test]
    public async Task KillPointAfterTheSendBeforeTheRecord_TheClaimsSendItAgainUnderTheSameWebhookId()
    {
        await EndpointAsync();
        var first = Dispatcher(new DiesBeforeRecording(_db.Queue));
        await using (DispatcherRun.Start(first))
        {
            await ApplyAsync("KILL2", first);
            await Until.TrueAsync(() => Task.FromResult(_receiver.Requests.Count == 1), "the webhook goes out");
        }

        Assert.That(await DeliveriesAsync(), Is.Empty, "the send was never recorded");
        Assert.That(await LiveLeasesAsync(), Has.Count.EqualTo(1), "its lease stands for it");

        await using (DispatcherRun.Start(Dispatcher()))
        {
            _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
            await Until.TrueAsync(async () => (await DeliveriesAsync()) is [{ State: "delivered" }], "the next dispatcher sends it again once the lease ran out");
        }

        var delivery = await OnlyDeliveryAsync();
        Assert.That(_receiver.Requests.Select(r => r.Id), Is.EqualTo(new[] { delivery.EventId, delivery.EventId }),
            "at least once: sent again, under the same webhook-id, so the receiver can tell");
        Assert.That(delivery.Attempts, Is.EqualTo(1), "the lost attempt left no trace but the receiver's");
        Assert.That(await LiveLeasesAsync(), Is.Empty);
    }

    [Test]
    public async Task ALeaseWhoseRecordsPartlyFailedIsTakenOver_OnlyItsUnrecordedDeliveryIsSentAgain()
    {
        await EndpointAsync();
        var failsOne = new FailsToRecord(_db.Queue);
        var first = Dispatcher(failsOne);
        await using (DispatcherRun.Start(first))
        {
            await ApplyAsync(first, "PART1", "PART2");
            await Until.TrueAsync(() => Task.FromResult(_receiver.Requests.Count == 2), "both go out from the one lease");
            await Until.TrueAsync(async () => (await DeliveriesAsync()).Count == 1 && failsOne.Refused > 0, "one is recorded, the other refused");
        }

        var refused = failsOne.EventId!;
        var sent = _receiver.Requests.Select(r => r.Id).Order(StringComparer.Ordinal).ToArray();
        var lease = (await LiveLeasesAsync()).Single();
        Assert.That((lease.Deliveries, LiveLeaseWrite.ParseEventIds(lease.EventIds).Order(StringComparer.Ordinal)), Is.EqualTo((2, sent)),
            "one lease for the batch's two deliveries to the endpoint; it stands while one has no row");
        var recorded = (await DeliveriesAsync()).Single().EventId;
        Assert.That(recorded, Is.Not.EqualTo(refused));

        await using (DispatcherRun.Start(Dispatcher()))
        {
            _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
            await Until.TrueAsync(async () => (await DeliveriesAsync()) is [{ State: "delivered" }, { State: "delivered" }], "the take-over writes the unrecorded one, and the claims send it");
        }

        Assert.That(_receiver.Requests.Count(r => r.Id == refused), Is.EqualTo(2), "the unrecorded one is sent again, under its webhook-id");
        Assert.That(_receiver.Requests.Count(r => r.Id == recorded), Is.EqualTo(1), "the recorded one is not");
        Assert.That(await LiveLeasesAsync(), Is.Empty);
    }

    [Test]
    public async Task ARecordAfterATakeOverWritesNothing_TheTakeOversPendingRowStandsAndIsSentAgain()
    {
        var endpoint = await EndpointAsync();
        var lease = await LeaseLeftByADeadDispatcherAsync("LATE1");
        var eventId = lease.EventIds;
        _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
        var now = _time.GetUtcNow();
        // A claim takes the lease over (and, here, claims the row it wrote, unsent).
        var claimed = await _db.Queue.ClaimDueAsync("test:claim:1", now, now.AddSeconds(LeaseSeconds), new ClaimLimits(10, 10, false), CancellationToken.None);
        Assert.That(claimed.Select(c => c.EventId), Is.EqualTo(new[] { eventId }));
        Assert.That(await LiveLeasesAsync(), Is.Empty);

        // The first dispatcher's record arrives late: its lease is gone and the row is there.
        var late = new AttemptOutcome(0, endpoint, 1, now, 200, 3, null, true, null, false, LiveEventId: eventId, QueuedAt: Start, EndsLiveLease: true);
        await _db.Queue.RecordAttemptsAsync(lease.Owner, [late], CancellationToken.None);

        var row = await OnlyDeliveryAsync();
        Assert.That((row.State, row.Attempts), Is.EqualTo(("pending", 0)), "the take-over's row is not overwritten: the claim that holds it sends it");
    }

    [Test]
    public async Task ALiveDeliveryRecordedAsPutBackIsWrittenPendingDueWhenAsked_NoAttemptCounted()
    {
        // The dispatcher leaves a live delivery it did not send to its lease; the store still takes the
        // outcome of one put back (any caller's), as it does a claimed one's.
        var endpoint = await EndpointAsync();
        var lease = await LeaseLeftByADeadDispatcherAsync("BACK1");
        var now = _time.GetUtcNow();
        var back = new AttemptOutcome(0, endpoint, 0, now, null, 0, "circuit open", false, now.AddSeconds(30), false,
            Postponed: true, LiveEventId: lease.EventIds, QueuedAt: Start, EndsLiveLease: true);
        Assert.That(await _db.Queue.RecordAttemptsAsync(lease.Owner, [back], CancellationToken.None), Has.Count.EqualTo(1));

        var row = await OnlyDeliveryAsync();
        Assert.That((row.State, row.Attempts, row.LastError, row.NextAttemptAt, row.CreatedAt), Is.EqualTo(("pending", 0, (string?)"circuit open", now.AddSeconds(30), Start)));
        Assert.That(await LeaseAndAttemptRowsAsync(row.Id), Is.EqualTo(((string?)null, 0L)), "unleased, and nothing in the attempt log");
        Assert.That(await LiveLeasesAsync(), Is.Empty);
    }

    [Test]
    public async Task ALeaseOfAnEndpointDeletedMeanwhileIsTakenOverAsDeadLetters_NothingIsSent()
    {
        var endpoint = await EndpointAsync();
        Assert.That((await LeaseLeftByADeadDispatcherAsync("GONE1")).EndpointId, Is.EqualTo(endpoint));
        Assert.That(await _db.Endpoints.DeleteEndpointAsync(endpoint, Operators.Test(_time.GetUtcNow()), CancellationToken.None), Is.True);
        _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
        var now = _time.GetUtcNow();
        Assert.That(await _db.Queue.ClaimDueAsync("test:claim:1", now, now.AddSeconds(LeaseSeconds), new ClaimLimits(10, 10, false), CancellationToken.None), Is.Empty);

        var row = await OnlyDeliveryAsync();
        Assert.That((row.State, row.LastError), Is.EqualTo(("dead", "endpoint deleted")), "as deleting the endpoint made every delivery it had waiting");
        Assert.That(await LiveLeasesAsync(), Is.Empty);
        Assert.That(_receiver.Requests, Is.Empty);
    }

    [Test]
    public async Task ALiveLeaseIsRenewedByItsOwnerUntilItIsTakenOver()
    {
        await EndpointAsync();
        var owner = (await LeaseLeftByADeadDispatcherAsync("RENEW1")).Owner;
        var now = _time.GetUtcNow();
        Assert.That(await _db.Queue.RenewLiveLeaseAsync(owner, now.AddSeconds(3 * LeaseSeconds), CancellationToken.None), Is.True);
        _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
        now = _time.GetUtcNow();
        Assert.That(await _db.Queue.ClaimDueAsync("test:claim:1", now, now.AddSeconds(LeaseSeconds), new ClaimLimits(10, 10, false), CancellationToken.None), Is.Empty,
            "renewed: not taken over");
        _time.Advance(TimeSpan.FromSeconds(2 * LeaseSeconds));
        now = _time.GetUtcNow();
        Assert.That(await _db.Queue.ClaimDueAsync("test:claim:2", now, now.AddSeconds(LeaseSeconds), new ClaimLimits(10, 10, false), CancellationToken.None), Has.Count.EqualTo(1));
        Assert.That(await _db.Queue.RenewLiveLeaseAsync(owner, now.AddSeconds(LeaseSeconds), CancellationToken.None), Is.False, "taken over: its owner may not send");
    }

    [Test]
    public async Task KillPointAfterAClaimBeforeTheSend_TheNextDispatcherSendsItOnceItsLeaseRunsOut()
    {
        await EndpointAsync();
        var dies = new DiesAfterClaiming(_db.Queue);
        var first = Dispatcher(dies, liveDepth: 0);
        await using (DispatcherRun.Start(first))
        {
            await ApplyAsync("KILL3", first);
            await Until.TrueAsync(() => Task.FromResult(dies.Claimed > 0), "a claim commits, and the dispatcher dies before sending");
        }

        var delivery = await OnlyDeliveryAsync();
        Assert.That((await LeaseAndAttemptRowsAsync(delivery.Id)).Owner, Does.Contain(":claim:"));
        Assert.That(_receiver.Requests, Is.Empty);

        await using (DispatcherRun.Start(Dispatcher()))
        {
            _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
            await DeliveredAsync("the next dispatcher claims it once the lease ran out");
        }

        Assert.That(_receiver.Requests.Select(r => r.Id), Is.EqualTo(new[] { delivery.EventId }), "sent once");
    }

    [Test]
    public async Task DeliveriesWaitingInTheirLanePastTheLeasesMarginRenewTheirBatchsLeaseOnceForAll()
    {
        await EndpointAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiver.Respond(1, async _ => await gate.Task);
        var store = new CountingQueue(_db.Queue);
        // One send at a time, and a request may take 20 s: a send needs 25 s of lease left.
        var dispatcher = Dispatcher(store, requestTimeoutMs: 20_000, perEndpoint: 1);
        await using (DispatcherRun.Start(dispatcher))
        {
            await ApplyAsync(dispatcher, "WAIT1", "WAIT2", "WAIT3");
            await Until.TrueAsync(() => Task.FromResult(_receiver.Requests.Count == 1), "the first is sent (and held); the others wait in the lane");
            _time.Advance(TimeSpan.FromSeconds(10)); // 20 s left: not enough for the next send
            gate.SetResult();
            await Until.TrueAsync(async () => (await DeliveriesAsync()) is [{ State: "delivered" }, { State: "delivered" }, { State: "delivered" }], "all three delivered");
        }

        Assert.That(store.LiveRenewals, Is.EqualTo(1), "the second renewed the batch's lease; the third saw the new end");
        Assert.That(_receiver.Requests, Has.Count.EqualTo(3));
        Assert.That(await LiveLeasesAsync(), Is.Empty);
    }

    /// <summary>Takes the batch's deliveries live, then dies before the hand-over: nothing is sent.</summary>
    private sealed class DiesBeforeHandOver(ILiveDeliveries inner) : ILiveDeliveries
    {
        public ILiveReservation? Reserve(LedgerChanges changes) => inner.Reserve(changes) is { } taken ? new Lost(taken) : null;

        private sealed class Lost(ILiveReservation taken) : ILiveReservation
        {
            public void Committed(LedgerChanges changes)
            {
                // the process is gone: the hand-over never happens
            }

            public void Release() => taken.Release();
        }
    }

    /// <summary>The real queue, counting the deliveries its claims returned.</summary>
    private class CountingQueue(IOutboxQueue inner) : ForwardingQueue(inner)
    {
        private int _claimed;

        private int _liveRenewals;

        /// <summary>Deliveries the claims returned.</summary>
        public int Claimed => Volatile.Read(ref _claimed);

        /// <summary>Renewals of live leases asked for.</summary>
        public int LiveRenewals => Volatile.Read(ref _liveRenewals);

        public override Task<bool> RenewLiveLeaseAsync(string owner, DateTimeOffset until, CancellationToken ct)
        {
            Interlocked.Increment(ref _liveRenewals);
            return base.RenewLiveLeaseAsync(owner, until, ct);
        }

        public override async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimLimits limits, CancellationToken ct)
        {
            var claimed = await base.ClaimDueAsync(owner, now, leaseUntil, limits, ct);
            Interlocked.Add(ref _claimed, claimed.Count);
            return claimed;
        }
    }

    /// <summary>Every record fails as if the process died right after the request went out.</summary>
    private sealed class DiesBeforeRecording(IOutboxQueue inner) : CountingQueue(inner)
    {
        public override Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken ct) =>
            throw new IOException("died before recording");
    }

    /// <summary>Refuses every record that holds the outcome of one live delivery (the first event of
    /// the first record, <see cref="EventId"/>), as a database refusing one row would.</summary>
    private sealed class FailsToRecord(IOutboxQueue inner) : CountingQueue(inner)
    {
        private string? _eventId;
        private int _refused;

        public string? EventId => Volatile.Read(ref _eventId);

        public int Refused => Volatile.Read(ref _refused);

        public override Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken ct)
        {
            var first = attempts.Select(a => a.Outcome.LiveEventId).Where(e => e is not null).Min(StringComparer.Ordinal);
            var refused = Interlocked.CompareExchange(ref _eventId, first, null) ?? first;
            if (refused is not null && attempts.Any(a => a.Outcome.LiveEventId == refused))
            {
                Interlocked.Increment(ref _refused);
                throw new IOException("refused");
            }

            return base.RecordAttemptsAsync(attempts, ct);
        }
    }

    /// <summary>A claim commits, then the process dies before anything claimed is sent.</summary>
    private sealed class DiesAfterClaiming(IOutboxQueue inner) : CountingQueue(inner)
    {
        public override async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimLimits limits, CancellationToken ct)
        {
            if ((await base.ClaimDueAsync(owner, now, leaseUntil, limits, ct)).Count > 0)
            {
                throw new IOException("died after the claim committed");
            }

            return [];
        }
    }
}
