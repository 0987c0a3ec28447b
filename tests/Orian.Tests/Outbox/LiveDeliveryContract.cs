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

    private WebhookDispatcher Dispatcher(IOutboxQueue? store = null, int liveDepth = 512) =>
        new(store ?? _db.Queue, Options.Create(new OutboxOptions
        {
            RetrySchedule = "5s,1m", LeaseSeconds = LeaseSeconds, RequestTimeoutMs = 2000, PollIntervalMs = 20, LiveDepthPerEndpoint = liveDepth,
            AllowedPrivateNetworks = TestService.LoopbackNetworks,
        }), _time, new OutboxSignal(), new OrchestratorClient(Options.Create(new OrchestratorOptions()), _time, NullLogger<OrchestratorClient>.Instance),
            NullLogger<WebhookDispatcher>.Instance);

    /// <summary>Runs a ledger batch as the service does, its deliveries offered to <paramref name="live"/>.</summary>
    private Task ApplyAsync(string id, ILiveDeliveries live) =>
        new LedgerBatchApplier(_db.Ledger, _time, live: live).ApplyAsync([new Txn { Id = id }.Pending(_time.GetUtcNow())], CancellationToken.None);

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
        Assert.That(await LeaseAndAttemptRowsAsync(delivery.Id), Is.EqualTo(((string?)null, 0L)), "lease released, no row in the attempt log");
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
        await EndpointAsync();
        var first = Dispatcher();
        await using (DispatcherRun.Start(first))
        {
            // The process dies between the commit and the hand-over: the row is written leased, and
            // the dispatcher never hears of it.
            await ApplyAsync("KILL1", new DiesBeforeHandOver(first));
        }

        var delivery = await OnlyDeliveryAsync();
        var (owner, _) = await LeaseAndAttemptRowsAsync(delivery.Id);
        Assert.That(owner, Does.Contain(":live:"), "written leased to the dead dispatcher");
        Assert.That(_receiver.Requests, Is.Empty);

        var store = new CountingQueue(_db.Queue);
        await using (DispatcherRun.Start(Dispatcher(store)))
        {
            _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
            await DeliveredAsync("the next dispatcher claims it once the lease ran out");
        }

        Assert.That(store.Claimed, Is.EqualTo(1));
        Assert.That(_receiver.Requests.Select(r => r.Id), Is.EqualTo(new[] { delivery.EventId }), "sent once");
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

        var delivery = await OnlyDeliveryAsync();
        Assert.That(delivery.State, Is.EqualTo("pending"), "the send was never recorded");

        await using (DispatcherRun.Start(Dispatcher()))
        {
            _time.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
            await DeliveredAsync("the next dispatcher sends it again once the lease ran out");
        }

        Assert.That(_receiver.Requests.Select(r => r.Id), Is.EqualTo(new[] { delivery.EventId, delivery.EventId }),
            "at least once: sent again, under the same webhook-id, so the receiver can tell");
        Assert.That((await OnlyDeliveryAsync()).Attempts, Is.EqualTo(1), "the lost attempt left no trace but the receiver's");
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

        /// <summary>Deliveries the claims returned.</summary>
        public int Claimed => Volatile.Read(ref _claimed);

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
