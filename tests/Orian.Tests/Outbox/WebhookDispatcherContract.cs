using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// The dispatcher against a real database and a real receiver on 127.0.0.1, on a clock the test
/// moves: signatures, the retry schedule, Retry-After, 410, timeouts, dead letters and re-drive, a
/// crash between sending and recording, and a receiver that is down and comes back.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed partial class WebhookDispatcherContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private OrianStorage _db = null!;
    private ManualTimeProvider _time = null!;
    private WebhookReceiver _receiver = null!;

    [SetUp]
    public async Task SetUp()
    {
        _database = await CreateDatabaseAsync("hooks");
        _db = _database.Storage;
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

    private static OutboxOptions Settings(Action<OutboxOptions>? configure = null)
    {
        var options = new OutboxOptions
        {
            RetrySchedule = "5s,1m", LeaseSeconds = 30, RequestTimeoutMs = 2000, PollIntervalMs = 20, AllowedPrivateNetworks = TestService.LoopbackNetworks,
        };
        configure?.Invoke(options);
        return options;
    }

    private OrchestratorClient NoOrchestrator() =>
        new(Options.Create(new OrchestratorOptions()), _time, NullLogger<OrchestratorClient>.Instance);

    private WebhookDispatcher Dispatcher(IOutboxQueue? store = null, Action<OutboxOptions>? configure = null) =>
        new(store ?? _db.Queue, Options.Create(Settings(configure)), _time, new OutboxSignal(), NoOrchestrator(), NullLogger<WebhookDispatcher>.Instance);

    private async Task<(string Id, byte[] Key)> EndpointAsync(string url, params string[] events)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var id = "we_test_" + Guid.NewGuid().ToString("N")[..8];
        await _db.Endpoints.CreateEndpointAsync(new WebhookEndpointRow
        {
            Id = id,
            Url = url,
            Events = string.Join(',', events.Length == 0 ? [EventTypes.TransactionUpdated] : events),
            Secret = StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(key),
            Status = "enabled",
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
        }, Operators.Test(_time.GetUtcNow()), CancellationToken.None);
        return (id, key);
    }

    private Task ApplyAsync(Txn txn) =>
        new LedgerBatchApplier(_db.Ledger, _time).ApplyAsync([txn.Pending(_time.GetUtcNow())], CancellationToken.None);

    private async Task<DeliveryRow> OnlyDeliveryAsync()
    {
        var all = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
        Assert.That(all, Has.Count.EqualTo(1));
        return all[0];
    }

    /// <summary>The signature as a receiver would check it, computed here independently.</summary>
    private static bool Verifies(WebhookReceiver.Received r, byte[] key)
    {
        using var hmac = new HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{r.Id}.{r.Timestamp}.{r.Body}")));
        return r.Signature.Split(' ').Contains(expected);
    }

    [Test]
    public async Task AnAppliedVersionIsDeliveredSignedWithItsStableEventId()
    {
        var (_, key) = await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "W1", Version = 3, Amount = 250 });

        await DispatcherRun.OnceAsync(Dispatcher());
        var received = _receiver.Requests.Single();
        Assert.That(Verifies(received, key), Is.True, "signature verifies with the endpoint's secret");
        Assert.That(received.Id, Is.EqualTo(EventFactory.EventIdFor(EventTypes.TransactionUpdated, "W1", 3, "")));
        Assert.That(received.Timestamp, Is.EqualTo(Start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var body = JsonDocument.Parse(received.Body);
        Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo("transaction.updated"));
        Assert.That(body.RootElement.GetProperty("id").GetString(), Is.EqualTo(received.Id));
        var data = body.RootElement.GetProperty("data");
        Assert.That(data.GetProperty("transaction_id").GetString(), Is.EqualTo("W1"));
        Assert.That(data.GetProperty("version").GetInt64(), Is.EqualTo(3));
        Assert.That(data.GetProperty("amount").GetProperty("amount").GetInt64(), Is.EqualTo(250));
        Assert.That((await OnlyDeliveryAsync()).State, Is.EqualTo("delivered"));
    }

    [Test]
    public async Task FailuresAreRetriedOnTheScheduleThenDeadLetteredAndReDriveDelivers()
    {
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "R1" });
        _receiver.Respond(3, WebhookReceiver.Status(500));
        var dispatcher = Dispatcher();

        await DispatcherRun.OnceAsync(dispatcher);
        var first = await OnlyDeliveryAsync();
        Assert.That(first.State, Is.EqualTo("pending"));
        Assert.That(first.NextAttemptAt - Start, Is.InRange(TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(5.5)), "5 s, with at most 10% jitter");

        _time.Advance(TimeSpan.FromSeconds(4));
        await DispatcherRun.OnceAsync(dispatcher);
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1), "not due yet");

        _time.Advance(TimeSpan.FromSeconds(2));
        await DispatcherRun.OnceAsync(dispatcher);
        var second = await OnlyDeliveryAsync();
        Assert.That(second.NextAttemptAt - _time.GetUtcNow(), Is.InRange(TimeSpan.FromSeconds(54), TimeSpan.FromSeconds(66)), "then 1 min");

        _time.Advance(TimeSpan.FromMinutes(2));
        await DispatcherRun.OnceAsync(dispatcher);
        var dead = await _db.Deliveries.GetDeliveryAsync((await OnlyDeliveryAsync()).Id, CancellationToken.None);
        Assert.That(dead!.Value.Delivery.State, Is.EqualTo("dead"));
        Assert.That(dead.Value.Attempts.Select(a => a.StatusCode), Is.EqualTo(new int?[] { 500, 500, 500 }));

        Assert.That(await _db.Deliveries.RedriveAsync(null, Operators.Test(_time.GetUtcNow()), CancellationToken.None), Is.EqualTo(1));
        await DispatcherRun.OnceAsync(dispatcher);
        Assert.That((await OnlyDeliveryAsync()).State, Is.EqualTo("delivered"));
        Assert.That(_receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "the webhook-id never changes");
        Assert.That(_receiver.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task RetryAfterIsHonoured()
    {
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "RA1" });
        _receiver.Respond(1, WebhookReceiver.Status(429, "120"));

        await DispatcherRun.OnceAsync(Dispatcher());
        var delivery = await OnlyDeliveryAsync();
        Assert.That(delivery.NextAttemptAt, Is.EqualTo(Start.AddSeconds(120)));
        Assert.That(delivery.LastStatus, Is.EqualTo(429));
    }

    [Test]
    public async Task GoneDisablesTheEndpointAndStopsFurtherDeliveries()
    {
        var (endpointId, _) = await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "G1" });
        _receiver.Respond(1, WebhookReceiver.Status(410));
        var dispatcher = Dispatcher();

        await DispatcherRun.OnceAsync(dispatcher);
        Assert.That((await OnlyDeliveryAsync()).State, Is.EqualTo("dead"));
        var endpoint = await _db.Endpoints.GetEndpointAsync(endpointId, CancellationToken.None);
        Assert.That(endpoint!.Status, Is.EqualTo("disabled"));

        await ApplyAsync(new Txn { Id = "G2" });
        await DispatcherRun.OnceAsync(dispatcher);
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
        Assert.That(await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AnEndpointThatDoesNotAnswerInTimeFailsTheAttempt()
    {
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "T1" });
        _receiver.Respond(1, WebhookReceiver.Hang);

        await DispatcherRun.OnceAsync(Dispatcher(configure: o => o.RequestTimeoutMs = 300));
        var delivery = await _db.Deliveries.GetDeliveryAsync((await OnlyDeliveryAsync()).Id, CancellationToken.None);
        Assert.That(delivery!.Value.Delivery.State, Is.EqualTo("pending"));
        Assert.That(delivery.Value.Attempts.Single().Error, Does.Contain("no answer within 300 ms"));
    }

    [Test]
    public async Task ACrashBetweenSendingAndRecordingRedeliversWithTheSameWebhookId()
    {
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "C1" });

        var crashing = Dispatcher(new CrashAfterSendStore(_db.Queue));
        await DispatcherRun.OnceAsync(crashing); // the failure to record is logged, not thrown
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1));
        Assert.That((await OnlyDeliveryAsync()).State, Is.EqualTo("pending"), "nothing was recorded");

        await DispatcherRun.OnceAsync(Dispatcher());
        Assert.That(_receiver.Requests, Has.Count.EqualTo(1), "the lease still holds: nobody else sends it");

        _time.Advance(TimeSpan.FromSeconds(31)); // the crashed dispatcher's lease runs out
        await DispatcherRun.OnceAsync(Dispatcher());
        Assert.That(_receiver.Requests, Has.Count.EqualTo(2));
        Assert.That(_receiver.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That((await OnlyDeliveryAsync()).State, Is.EqualTo("delivered"));
    }

    [Test]
    public async Task NothingIsLostWhileTheReceiverIsDownAndComesBack()
    {
        var port = WebhookReceiver.FreePort();
        await EndpointAsync($"http://127.0.0.1:{port}/hook");
        await ApplyAsync(new Txn { Id = "D1" });
        await ApplyAsync(new Txn { Id = "D2" });
        var dispatcher = Dispatcher(configure: o => o.RetrySchedule = "5s, 5s, 5s");

        await DispatcherRun.OnceAsync(dispatcher);
        _time.Advance(TimeSpan.FromSeconds(6));
        await DispatcherRun.OnceAsync(dispatcher);
        var pending = await _db.Deliveries.ListDeliveriesAsync("pending", 0, 100, CancellationToken.None);
        Assert.That(pending, Has.Count.EqualTo(2));
        Assert.That(pending.Select(p => p.Attempts), Has.All.EqualTo(2));

        await using var back = await WebhookReceiver.StartAsync(port);
        _time.Advance(TimeSpan.FromSeconds(6));
        await DispatcherRun.OnceAsync(dispatcher);
        var left = await _db.Deliveries.ListDeliveriesAsync("pending", 0, 100, CancellationToken.None);
        Assert.That(back.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("transaction_id").GetString()).Order(),
            Is.EqualTo(new[] { "D1", "D2" }), $"still pending: {string.Join("; ", left.Select(d => $"{d.Id} attempts {d.Attempts} due {d.NextAttemptAt:O} last {d.LastError}"))}; now {_time.GetUtcNow():O}");
        Assert.That(await _db.Deliveries.ListDeliveriesAsync("delivered", 0, 100, CancellationToken.None), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task DuringASecretRotationBothSignaturesAreSent()
    {
        var (endpointId, oldKey) = await EndpointAsync(_receiver.Url);
        var newKey = RandomNumberGenerator.GetBytes(32);
        await _db.Endpoints.RotateSecretAsync(endpointId, StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(newKey), Start.AddHours(24), Operators.Test(Start), CancellationToken.None);
        await ApplyAsync(new Txn { Id = "ROT1" });

        await DispatcherRun.OnceAsync(Dispatcher());
        var received = _receiver.Requests.Single();
        Assert.That(received.Signature.Split(' '), Has.Length.EqualTo(2));
        Assert.That(Verifies(received, oldKey), Is.True);
        Assert.That(Verifies(received, newKey), Is.True);

        _time.Advance(TimeSpan.FromHours(25));
        await ApplyAsync(new Txn { Id = "ROT2" });
        await DispatcherRun.OnceAsync(Dispatcher());
        var later = _receiver.Requests.Last();
        Assert.That(later.Signature.Split(' '), Has.Length.EqualTo(1));
        Assert.That(Verifies(later, newKey), Is.True);
        Assert.That(Verifies(later, oldKey), Is.False);
    }

    /// <summary>The batch that commits an event queues its deliveries in the same commit: they are
    /// there before any dispatcher runs, and the event is settled (no fan-out round is left to do).</summary>
    [Test]
    public async Task ABatchQueuesTheDeliveriesOfItsEventsInItsOwnCommit()
    {
        var (endpoint, _) = await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "Q1", Version = 2, Amount = 120 });

        var delivery = await OnlyDeliveryAsync();
        Assert.That((delivery.EndpointId, delivery.EventId, delivery.State, delivery.Attempts),
            Is.EqualTo((endpoint, EventFactory.EventIdFor(EventTypes.TransactionUpdated, "Q1", 2, ""), "pending", 0)));
        Assert.That((await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None)).Unfanned, Is.Zero, "nothing left for a fan-out round");
        Assert.That(await _db.Queue.FanOutAsync(_time.GetUtcNow(), 100, CancellationToken.None), Is.Zero);
    }

    /// <summary>What the status view and the gauges read at every sample costs the same whatever the
    /// backlog: each count stops where asked (at least that many), while the oldest age stays exact.</summary>
    [Test]
    public async Task TheBacklogsCountsStopWhereAskedAndItsOldestAgeStaysExact()
    {
        await EndpointAsync(_receiver.Url);
        for (var i = 1; i <= 3; i++)
        {
            await ApplyAsync(new Txn { Id = $"CAP{i}" });
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var (capped, exact) = (await _db.Deliveries.GetBacklogAsync(2, CancellationToken.None), await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None));
        Assert.That((capped.Pending, exact.Pending), Is.EqualTo((2L, 3L)));
        Assert.That((capped.OldestPendingAt, exact.OldestPendingAt), Is.EqualTo(((DateTimeOffset?)Start, (DateTimeOffset?)Start)), "the oldest is the first, counted or not");

        await _database.ExecuteAsync("UPDATE webhook_deliveries SET state = 'dead'");

        (capped, exact) = (await _db.Deliveries.GetBacklogAsync(2, CancellationToken.None), await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None));
        Assert.That((capped.Dead, exact.Dead, capped.Pending), Is.EqualTo((2L, 3L, 0L)));
        Assert.That(async () => await _db.Deliveries.GetBacklogAsync(0, CancellationToken.None), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    /// <summary>An event no endpoint wants is settled as it is written, and an endpoint created
    /// afterwards never gets it: nothing waits in the outbox for an endpoint that may never come.</summary>
    [Test]
    public async Task AnEventNoEndpointWantsIsSettledAtOnceAndALaterEndpointNeverGetsIt()
    {
        await ApplyAsync(new Txn { Id = "N1", Amount = 10 });
        Assert.That((await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None)).Unfanned, Is.Zero);
        Assert.That(await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None), Is.Empty);

        _time.Advance(TimeSpan.FromSeconds(1));
        await EndpointAsync(_receiver.Url);
        await DispatcherRun.OnceAsync(Dispatcher());
        Assert.That(_receiver.Requests, Is.Empty);
        Assert.That(await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task EndpointsGetOnlyTheTypesTheySubscribedTo()
    {
        await EndpointAsync(_receiver.Url, EventTypes.AccountOverdrawn);
        await ApplyAsync(new Txn { Id = "L1", Direction = "CREDIT", Status = "COMPLETE", Amount = 50 }); // no overdraft
        await ApplyAsync(new Txn { Id = "O1", Status = "COMPLETE", Amount = 80 });                        // overdraws by 30

        await DispatcherRun.OnceAsync(Dispatcher());
        var received = _receiver.Requests.Single();
        using var body = JsonDocument.Parse(received.Body);
        Assert.That(body.RootElement.GetProperty("type").GetString(), Is.EqualTo("account.overdrawn"));
        Assert.That(body.RootElement.GetProperty("data").GetProperty("available").GetInt64(), Is.EqualTo(-30));
    }

    [Test]
    public async Task ARedirectIsNotFollowedAndFailsTheAttempt()
    {
        await EndpointAsync(_receiver.Url);
        _receiver.Respond(1, context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = _receiver.Url + "?followed=1";
            return Task.CompletedTask;
        });
        await ApplyAsync(new Txn { Id = "REDIR" });
        await DispatcherRun.OnceAsync(Dispatcher());

        Assert.That(_receiver.Requests, Has.Count.EqualTo(1), "the signed body went nowhere else");
        var delivery = await _db.Deliveries.GetDeliveryAsync((await OnlyDeliveryAsync()).Id, CancellationToken.None);
        Assert.That(delivery!.Value.Delivery.State, Is.EqualTo("pending"));
        Assert.That(delivery.Value.Attempts.Single().StatusCode, Is.EqualTo(307));
    }

    [Test]
    public async Task ANameThatResolvesToAnInternalAddressIsRefusedAtConnect()
    {
        // "localhost" passes registration (a name, not an address) and resolves to loopback.
        var url = _receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await EndpointAsync(url);
        await ApplyAsync(new Txn { Id = "SSRF" });
        await DispatcherRun.OnceAsync(Dispatcher(configure: o => o.AllowedPrivateNetworks = ""));

        Assert.That(_receiver.Requests, Is.Empty);
        var attempt = (await _db.Deliveries.GetDeliveryAsync((await OnlyDeliveryAsync()).Id, CancellationToken.None))!.Value.Attempts.Single();
        Assert.That(attempt.Error, Is.EqualTo("refused: private address"));
        Assert.That(attempt.StatusCode, Is.Null);
        Assert.That(attempt.LatencyMs, Is.Zero, "no timing that could map which ports answer");
    }

    [Test]
    public async Task ADeliveryThatThrowsIsRecordedAndDeadLetteredWhileItsSiblingsAreDelivered()
    {
        var (good, _) = await EndpointAsync(_receiver.Url);
        var (poison, _) = await EndpointAsync(_receiver.Url);
        // A secret that is not Base64 (as an older build could have stored it): signing throws a
        // FormatException, which no send path expects.
        await _database.ExecuteAsync("UPDATE webhook_endpoints SET secret = 'whsec_%%not-base64%%' WHERE id = @poison", new { poison });
        await ApplyAsync(new Txn { Id = "POISON" });
        var dispatcher = Dispatcher();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await DispatcherRun.OnceAsync(dispatcher);
            _time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.That(_receiver.Requests, Has.Count.EqualTo(1), "the sibling went out once, on the first round");
        var deliveries = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
        Assert.That(deliveries.Single(d => d.EndpointId == good).State, Is.EqualTo("delivered"));
        var dead = deliveries.Single(d => d.EndpointId == poison);
        Assert.That(dead.State, Is.EqualTo("dead"), "three attempts on a 5s,1m schedule, then the dead letter");
        var attempts = (await _db.Deliveries.GetDeliveryAsync(dead.Id, CancellationToken.None))!.Value.Attempts;
        Assert.That(attempts.Select(a => a.Error).ToList(), Has.Count.EqualTo(3).And.All.EqualTo("unexpected FormatException"));
    }

    [Test]
    public async Task ALeaseThatRanOutIsNotUsedToSend()
    {
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "LEASE" });
        var rivalClaimed = 0;
        var store = new SlowClaimStore(_db.Queue, _time, async () =>
        {
            var now = _time.GetUtcNow();
            rivalClaimed = (await _db.Queue.ClaimDueAsync("rival", now, now.AddSeconds(30), new ClaimLimits(10, 10, false), CancellationToken.None)).Count;
        });
        await DispatcherRun.OnceAsync(Dispatcher(store));

        Assert.That(rivalClaimed, Is.EqualTo(1), "the rival took the delivery over once the lease ran out");
        Assert.That(_receiver.Requests, Is.Empty, "the first dispatcher did not send under a lease it no longer held");
        Assert.That((await OnlyDeliveryAsync()).Attempts, Is.Zero, "and recorded nothing");
    }

    [Test]
    public async Task AttemptsAreRecordedInOneTransactionOnlyForLeasesStillHeld()
    {
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "R1" });
        await ApplyAsync(new Txn { Id = "R2" });
        var now = _time.GetUtcNow();
        await _db.Queue.FanOutAsync(now, 10, CancellationToken.None);
        var claimed = await _db.Queue.ClaimDueAsync("mine", now, now.AddSeconds(30), new ClaimLimits(10, 10, false), CancellationToken.None);
        Assert.That(claimed, Has.Count.EqualTo(2));
        // One lease runs out and another dispatcher takes that delivery.
        await _database.ExecuteAsync("UPDATE webhook_deliveries SET lease_owner = 'theirs' WHERE id = @id", new { id = claimed[1].Id });

        var outcomes = claimed.Select(c => new AttemptOutcome(c.Id, c.EndpointId, 1, now, 200, 1, null, true, null, false)).ToList();
        var recorded = await _db.Queue.RecordAttemptsAsync("mine", outcomes, CancellationToken.None);
        Assert.That(recorded.Select(o => o.DeliveryId), Is.EqualTo(new[] { claimed[0].Id }));
        Assert.That(await _db.Queue.RenewLeasesAsync("mine", [claimed[0].Id, claimed[1].Id], now.AddSeconds(60), CancellationToken.None), Is.Empty,
            "a delivered delivery has no lease to renew, and the other is not ours");
    }

    /// <summary>A rival's claim that read a delivery before it was leased, and passes over it once it
    /// sees the lease, holds its row until the claim ends (PostgreSQL keeps the lock a locking read
    /// took on a row it re-checked and dropped). The record must wait for it: passing over the row
    /// left the delivery sent, unrecorded and leased, until its lease ran out (two dispatchers,
    /// under load).</summary>
    [Test]
    public async Task ARecordWaitsForItsDeliverysRowWhileAnotherTransactionHoldsIt()
    {
        var waiting = ((ITestProvider)Provider).SessionsWaitingForALock;
        if (waiting is null)
        {
            Assert.Ignore("One writer at a time: no other transaction holds a row while a record runs.");
            return;
        }

        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "HELD" });
        var now = _time.GetUtcNow();
        await _db.Queue.FanOutAsync(now, 10, CancellationToken.None);
        var claimed = (await _db.Queue.ClaimDueAsync("mine", now, now.AddSeconds(30), new ClaimLimits(10, 10, false), CancellationToken.None)).Single();

        var dialect = _db.Database.Dialect;
        await using var rival = await _db.Database.OpenAsync(CancellationToken.None);
        await using var holding = await rival.BeginTransactionAsync();
        var held = await Dapper.SqlMapper.QueryAsync<long>(rival,
            $"SELECT wd.id FROM webhook_deliveries wd {dialect.LockHint} WHERE wd.id = @id{dialect.LockClause("wd")}", new { id = claimed.Id }, holding);
        Assert.That(held, Is.EqualTo(new[] { claimed.Id }), "the rival holds the row");

        var record = _db.Queue.RecordAttemptsAsync("mine", [new AttemptOutcome(claimed.Id, claimed.EndpointId, 1, now, 200, 1, null, true, null, false)], CancellationToken.None);
        await using (var watcher = await _db.Database.OpenAsync(CancellationToken.None))
        {
            await Until.TrueAsync(async () => record.IsCompleted || await Dapper.SqlMapper.ExecuteScalarAsync<long>(watcher, waiting) > 0,
                "the record waits for the row, or ends");
        }

        Assert.That(record.IsCompleted, Is.False, "the record waits for the row rather than passing over it");
        await holding.CommitAsync();
        Assert.That((await record).Select(o => o.DeliveryId), Is.EqualTo(new[] { claimed.Id }), "recorded once the rival let go");
        var row = await OnlyDeliveryAsync();
        Assert.That((row.State, row.Attempts, row.LastStatus), Is.EqualTo(("delivered", 1, (int?)200)));
    }

    [Test]
    public async Task AttemptsOfSeveralClaimsAreRecordedTogetherEachUnderItsOwnLease()
    {
        await EndpointAsync(_receiver.Url);
        foreach (var id in new[] { "M1", "M2", "M3" })
        {
            await ApplyAsync(new Txn { Id = id });
        }

        var now = _time.GetUtcNow();
        await _db.Queue.FanOutAsync(now, 10, CancellationToken.None);
        var first = await _db.Queue.ClaimDueAsync("claim-1", now, now.AddSeconds(30), new ClaimLimits(2, 10, false), CancellationToken.None);
        var second = await _db.Queue.ClaimDueAsync("claim-2", now, now.AddSeconds(30), new ClaimLimits(2, 10, false), CancellationToken.None);
        Assert.That((first.Count, second.Count), Is.EqualTo((2, 1)));

        // All delivered, one batch: each under the claim that holds it, except one named wrongly.
        var wrong = first[1];
        var attempts = first.Select(c => (c == wrong ? "claim-2" : "claim-1", new AttemptOutcome(c.Id, c.EndpointId, 1, now, 200, 1, null, true, null, false)))
            .Append(("claim-2", new AttemptOutcome(second[0].Id, second[0].EndpointId, 1, now, 204, 1, null, true, null, false))).ToList();
        var recorded = await _db.Queue.RecordAttemptsAsync(attempts, CancellationToken.None);
        Assert.That(recorded.Select(o => o.DeliveryId), Is.EquivalentTo(new[] { first[0].Id, second[0].Id }), "a delivery is recorded only by the claim holding it");

        var rows = await _db.Deliveries.ListDeliveriesAsync(null, 0, 10, CancellationToken.None);
        Assert.That(rows.Where(r => r.State == "delivered").Select(r => (r.Id, r.LastStatus)),
            Is.EquivalentTo(new[] { (first[0].Id, (int?)200), (second[0].Id, (int?)204) }));
        Assert.That(rows.Single(r => r.Id == wrong.Id).State, Is.EqualTo("pending"));
        var log = (await _db.Deliveries.GetDeliveryAsync(second[0].Id, CancellationToken.None))!.Value.Attempts;
        Assert.That(log.Select(a => (a.Attempt, a.StatusCode)), Is.EqualTo(new[] { (1, (int?)204) }), "one attempt logged, with its status");
        Assert.That((await _db.Deliveries.GetDeliveryAsync(wrong.Id, CancellationToken.None))!.Value.Attempts, Is.Empty);
    }

    [Test]
    public async Task StatsMatchTheRows()
    {
        var (endpoint, _) = await EndpointAsync(_receiver.Url);
        _receiver.Respond(2, WebhookReceiver.Status(500));
        foreach (var id in new[] { "S1", "S2", "S3" })
        {
            await ApplyAsync(new Txn { Id = id });
        }

        var dispatcher = Dispatcher(configure: o => o.RetrySchedule = "");
        await DispatcherRun.OnceAsync(dispatcher); // one delivered, two dead (no retries)
        await ApplyAsync(new Txn { Id = "S4" });
        await _db.Queue.FanOutAsync(_time.GetUtcNow(), 10, CancellationToken.None); // one pending
        _time.Advance(TimeSpan.FromSeconds(90));

        var stats = (await _db.Deliveries.GetStatsAsync(_time.GetUtcNow(), CancellationToken.None)).Single(s => s.EndpointId == endpoint);
        var rows = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
        Assert.That(stats.Pending, Is.EqualTo(rows.Count(r => r.State == "pending")).And.EqualTo(1));
        Assert.That(stats.Dead, Is.EqualTo(rows.Count(r => r.State == "dead")).And.EqualTo(2));
        Assert.That(stats.Delivered, Is.EqualTo(rows.Count(r => r.State == "delivered")).And.EqualTo(1));
        Assert.That(stats.Leased, Is.Zero);
        Assert.That(stats.OldestPendingAt, Is.EqualTo(rows.Single(r => r.State == "pending").CreatedAt));
        Assert.That((await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None)).Unfanned, Is.Zero);
    }

    [Test]
    public async Task ASlowEndpointOpensItsOwnCircuitAndOnlySlowsItself()
    {
        _time = new ManualTimeProvider(Start, manualTimestamps: true);
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Respond(5, context =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(600)); // answers, but slower than SlowAnswerMs (on the test's clock)
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        var (slowId, _) = await EndpointAsync(slow.Url);
        var (fastId, _) = await EndpointAsync(_receiver.Url);

        // One batch of seven events, taken live (both lanes have room): one sender, so the slow
        // endpoint's deliveries go one at a time, and those still waiting when its circuit opens are
        // not sent. Having no row yet, they are left to their batch's lease: nothing is recorded for
        // them, as if this dispatcher had stopped.
        var dispatcher = Dispatcher(configure: o => { o.SlowAnswerMs = 300; o.MaxConcurrency = 1; });
        await using (var run = DispatcherRun.Start(dispatcher))
        {
            await new LedgerBatchApplier(_db.Ledger, _time, live: dispatcher).ApplyAsync(
                [.. Enumerable.Range(1, 7).Select(i => new Txn { Id = $"SLOW{i}" }.Pending(_time.GetUtcNow()))], CancellationToken.None);
            await run.SettledAsync();

            Assert.That(slow.Requests, Has.Count.EqualTo(5), "five slow answers open the circuit; the rest wait");
            Assert.That(_receiver.Requests, Has.Count.EqualTo(7), "the fast endpoint got every event");
            var deliveries = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
            Assert.That(deliveries.Where(d => d.EndpointId == fastId).Select(d => d.State), Has.All.EqualTo("delivered"));
            Assert.That(deliveries.Where(d => d.EndpointId == slowId).Select(d => d.State), Is.EqualTo(Enumerable.Repeat("delivered", 5)),
                "the two not sent have no row: their lease stands for them");
            var stats = (await _db.Deliveries.GetStatsAsync(_time.GetUtcNow(), CancellationToken.None)).Single(r => r.EndpointId == slowId);
            Assert.That((stats.Pending, stats.Leased), Is.EqualTo((2L, 2L)), "the operators' view counts them pending and leased");

            // Past the lease and the circuit's break, the endpoint (slow five times) answering at once:
            // a claim takes the lease over, and the two go, each on its first attempt.
            _time.Advance(TimeSpan.FromSeconds(Settings().LeaseSeconds) + TimeSpan.FromMilliseconds(Settings().CircuitBreakMs));
            await Until.TrueAsync(async () => (await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None)).Count(d => d.State == "delivered") == 14,
                "the two left to their lease are delivered once it runs out");
        }

        Assert.That(slow.Requests, Has.Count.EqualTo(7));
        Assert.That((await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None)).Select(d => d.Attempts), Has.All.EqualTo(1),
            "not sent while the circuit was open: no attempt counted towards the dead letter");
    }

    [Test]
    public async Task WhileAHalfOpenCircuitsProbeIsOutItsEndpointsDeliveriesWaitUntouchedAndGoOnceItCloses()
    {
        await using var failing = await WebhookReceiver.StartAsync();
        failing.Respond(5, WebhookReceiver.Status(503));
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        failing.Otherwise = async context =>
        {
            await probe.Task.WaitAsync(context.RequestAborted);
            context.Response.StatusCode = 200;
        };
        await EndpointAsync(failing.Url);
        var dispatcher = Dispatcher(configure: o => o.RetrySchedule = "10m");
        Task BatchAsync(string prefix, int count) => new LedgerBatchApplier(_db.Ledger, _time, live: dispatcher).ApplyAsync(
            [.. Enumerable.Range(1, count).Select(i => new Txn { Id = $"{prefix}{i}" }.Pending(_time.GetUtcNow()))], CancellationToken.None);
        async Task<List<DeliveryRow>> UnsentAsync() =>
            [.. (await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None)).Where(d => d.Attempts == 0)];

        await using (var run = DispatcherRun.Start(dispatcher))
        {
            await BatchAsync("FAIL", 5);
            await run.SettledAsync("five 503s open the circuit");
            Assert.That(failing.Requests, Has.Count.EqualTo(5));

            // The break is over: the next delivery is sent, and is the probe; its answer waits.
            _time.Advance(TimeSpan.FromMilliseconds(Settings().CircuitBreakMs + 1000));
            await BatchAsync("PROBE", 1);
            await Until.TrueAsync(() => Task.FromResult(failing.Requests.Count == 6), "the probe is sent");

            // While it is out, Polly would refuse any other attempt: new deliveries are neither taken
            // live nor claimed, so none is put back for a break and none costs a record.
            await BatchAsync("WAIT", 3);
            var rounds = dispatcher.ClaimRounds;
            _time.Advance(TimeSpan.FromMilliseconds(100)); // the claims poll (the probe's timeout is 2 s)
            await Until.TrueAsync(() => dispatcher.ClaimRounds >= rounds + 2, "the claims turn twice while the probe is out");
            var waiting = await UnsentAsync();
            Assert.That(waiting.Select(d => (d.State, d.LastError, d.NextAttemptAt <= d.CreatedAt)), Is.EqualTo(Enumerable.Repeat(("pending", (string?)null, true), 3)),
                "written pending by their batch and due at once, untouched: not taken live, not claimed, not put back for a break");
            Assert.That(failing.Requests, Has.Count.EqualTo(6));

            // The probe's answer closes the circuit; they go at once, with no break to wait out.
            probe.SetResult();
            await Until.TrueAsync(async () => (await UnsentAsync()).Count == 0 && failing.Requests.Count == 9, "the three waiting go once the circuit closes");
            await run.SettledAsync();
        }

        var all = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
        Assert.That(all.Count(d => d.State == "delivered"), Is.EqualTo(4), "the probe and the three that waited");
        Assert.That(all.Where(d => d.State == "delivered").Select(d => d.Attempts), Has.All.EqualTo(1));
    }

    [Test]
    public async Task AClaimSharesItselfAmongEndpointsSoABacklogStarvesNobody()
    {
        var (backlogged, _) = await EndpointAsync(_receiver.Url);
        await new LedgerBatchApplier(_db.Ledger, _time).ApplyAsync([.. Enumerable.Range(1, 60).Select(i => new Txn { Id = $"OLD{i}" }.Pending(_time.GetUtcNow()))], CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var (quiet, _) = await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "NEW1" });
        _time.Advance(TimeSpan.FromSeconds(1));
        await ApplyAsync(new Txn { Id = "NEW2" });
        while (await _db.Queue.FanOutAsync(_time.GetUtcNow(), 100, CancellationToken.None) > 0)
        {
        }

        var now = _time.GetUtcNow();
        var claimed = await _db.Queue.ClaimDueAsync("mine", now, now.AddSeconds(30), new ClaimLimits(10, 100, false), CancellationToken.None);
        Assert.That(claimed.Count(c => c.EndpointId == quiet), Is.EqualTo(2), "the endpoint with two due deliveries gets both, although 62 older ones wait for the other");
        Assert.That(claimed.Count(c => c.EndpointId == backlogged), Is.EqualTo(8), "the rest of the claim goes to the backlog, oldest first");

        var capped = await _db.Queue.ClaimDueAsync("again", now, now.AddSeconds(30), new ClaimLimits(50, 4, false) { Busy = new Dictionary<string, int> { [backlogged] = 1 } }, CancellationToken.None);
        Assert.That(capped.Select(c => c.EndpointId), Is.EqualTo(new[] { backlogged, backlogged, backlogged }), "an endpoint's cap counts what this dispatcher already holds");
        var skipped = await _db.Queue.ClaimDueAsync("skip", now, now.AddSeconds(30), new ClaimLimits(50, 50, false) { Skip = new HashSet<string> { backlogged } }, CancellationToken.None);
        Assert.That(skipped, Is.Empty, "an endpoint whose circuit is open is not claimed");
    }

    /// <summary>Runs the continuous pipeline until the test is done with it; returns the stop.</summary>
    [Test]
    public async Task InThePipelineASlowEndpointHoldsOnlyItsOwnShareOfTheSenders()
    {
        // The slow endpoint answers nothing until the test opens the gate; the fast one at once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Otherwise = async context =>
        {
            await gate.Task.WaitAsync(context.RequestAborted);
            context.Response.StatusCode = 200;
        };
        var (slowId, _) = await EndpointAsync(slow.Url);
        var (fastId, _) = await EndpointAsync(_receiver.Url);
        const int events = 40;
        for (var i = 1; i <= events; i++)
        {
            await ApplyAsync(new Txn { Id = $"FAIR{i}" });
        }

        var dispatcher = Dispatcher(configure: o =>
        {
            (o.MaxConcurrency, o.MaxConcurrencyPerEndpoint, o.BatchSize, o.PollIntervalMs) = (8, 3, 10, 50);
            o.RequestTimeoutMs = 60_000; // the gate, not a timeout, ends the slow answers
            o.LeaseSeconds = 600;
        });
        var run = DispatcherRun.Start(dispatcher);
        try
        {
            await Until.TrueAsync(() => _receiver.Requests.Count >= events, "the fast endpoint gets every event while the slow one answers nothing");
            Assert.That(slow.Requests, Has.Count.EqualTo(3), "the slow endpoint holds its cap of senders, no more");

            gate.SetResult();
            await Until.TrueAsync(async () => (await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None)).All(d => d.State == "delivered"),
                "every delivery of both endpoints recorded as delivered once the gate opens");
        }
        finally
        {
            await run.DisposeAsync();
        }

        var deliveries = await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None);
        Assert.That(deliveries.Count(d => d.EndpointId == slowId), Is.EqualTo(events));
        Assert.That(deliveries.Count(d => d.EndpointId == fastId), Is.EqualTo(events));
        Assert.That(slow.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(events));
        Assert.That(_receiver.Requests, Has.Count.EqualTo(events), "each sent once");
    }

    /// <param name="live">The events are written by batches that hand their deliveries to one dispatcher
    /// or the other (the live path), rather than before either runs (the claims).</param>
    [TestCase(false)]
    [TestCase(true)]
    public async Task TwoDispatchersDeliverEveryEventExactlyOnceWhileTheReceiverFailsAtRandom(bool live)
    {
        var answers = new Random(1234);
        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        _receiver.Otherwise = context =>
        {
            bool fail;
            lock (answers)
            {
                fail = answers.NextDouble() < 0.3;
            }

            context.Response.StatusCode = fail ? 500 : 200;
            if (!fail)
            {
                accepted.AddOrUpdate(context.Request.Headers["webhook-id"].ToString(), 1, (_, n) => n + 1);
            }

            return Task.CompletedTask;
        };
        await EndpointAsync(_receiver.Url);
        const int events = 150;
        if (!live)
        {
            for (var i = 1; i <= events; i++)
            {
                await ApplyAsync(new Txn { Id = $"TWO{i}" });
            }
        }

        // The real clock: retries fall due on their own. Twelve quick retries: a delivery failing all
        // thirteen times (0.3^13) does not happen. Leases outlive the test, however slow the machine:
        // a lease that runs out, or a record that fails, is allowed to send once more (at least
        // once), and either would show here as a duplicate with its cause in the dispatchers' log.
        void Configure(OutboxOptions o)
        {
            (o.MaxConcurrency, o.MaxConcurrencyPerEndpoint, o.BatchSize, o.PollIntervalMs, o.LeaseSeconds) = (6, 6, 7, 20, 600);
            o.RetrySchedule = string.Join(',', Enumerable.Repeat("20ms", 12));
            o.CircuitBreakMs = 500; // three failures in five open the circuit now and then: a short break

        }

        using var logs = new CapturedLogs();
        var first = new WebhookDispatcher(_db.Queue, Options.Create(Settings(Configure)), TimeProvider.System, new OutboxSignal(), NoOrchestrator(),
            new Logger<WebhookDispatcher>(new LoggerFactory([logs])));
        var second = new WebhookDispatcher(_db.Queue, Options.Create(Settings(Configure)), TimeProvider.System, new OutboxSignal(), NoOrchestrator(),
            new Logger<WebhookDispatcher>(new LoggerFactory([logs])));
        var one = DispatcherRun.Start(first);
        var two = DispatcherRun.Start(second);
        if (live)
        {
            // Batches of three, each handed to one dispatcher or the other: their first attempts go
            // out from memory, their retries through either's claims.
            for (var i = 0; i < events / 3; i++)
            {
                await new LedgerBatchApplier(_db.Ledger, _time, live: i % 2 == 0 ? first : second).ApplyAsync(
                    [.. Enumerable.Range(1, 3).Select(k => new Txn { Id = $"TWO{(i * 3) + k}" }.Pending(_time.GetUtcNow()))], CancellationToken.None);
            }
        }
        try
        {
            await Until.TrueAsync(async () => (await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None)) is { Count: events } all
                && all.All(d => d.State != "pending"), "every delivery settled");
        }
        catch (AssertionException)
        {
            // What still waits, and what the dispatchers logged: the wait alone says nothing of why.
            var waiting = (await _db.Deliveries.ListDeliveriesAsync("pending", 0, 1000, CancellationToken.None))
                .Select(d => $"{d.Id} attempts {d.Attempts} due {d.NextAttemptAt:HH:mm:ss.fff} last {d.LastError}");
            Assert.Fail($"not settled after {Until.Guard.TotalSeconds:0} s (now {DateTimeOffset.UtcNow:HH:mm:ss.fff}):\n{string.Join('\n', waiting)}\nthe dispatchers logged:\n{logs.All}");
        }
        finally
        {
            await Task.WhenAll(one.DisposeAsync().AsTask(), two.DisposeAsync().AsTask());
        }

        var deliveries = await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None);
        Assert.That(deliveries.Select(d => d.State), Has.All.EqualTo("delivered"));
        Assert.That(accepted, Has.Count.EqualTo(events), "every event accepted");
        Assert.That(accepted.Where(a => a.Value != 1).Select(a => a.Key), Is.Empty, "no event accepted twice; the dispatchers logged:\n" + logs.All);
        Assert.That(_receiver.Requests.Count, Is.GreaterThan(events), "some attempts failed and were retried");
        foreach (var d in deliveries)
        {
            var log = (await _db.Deliveries.GetDeliveryAsync(d.Id, CancellationToken.None))!.Value.Attempts;
            Assert.That(log.Select(a => a.Attempt), Is.EqualTo(Enumerable.Range(1, log.Count)), $"delivery {d.Id}: one recorded attempt per try, in order");
            Assert.That(log.Count(a => a.StatusCode == 200), Is.EqualTo(1));
        }
    }

    /// <summary>A store whose database refuses to record one delivery's attempt (as SQL Server refused an
    /// error longer than its column), in whatever transaction it comes.</summary>
    private sealed class RefusesOneRecordStore(IOutboxQueue inner, Func<long> poison) : ForwardingQueue(inner)
    {
        public int Calls;

        public override Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return attempts.Any(a => a.Outcome.DeliveryId == poison())
                ? throw new InvalidOperationException("the database refused this record")
                : base.RecordAttemptsAsync(attempts, ct);
        }
    }

    [Test]
    public async Task ARecordTheDatabaseRefusesDoesNotHoldBackTheOthersOfItsBatch()
    {
        await EndpointAsync(_receiver.Url);
        await EndpointAsync(_receiver.Url);
        await EndpointAsync(_receiver.Url);
        await ApplyAsync(new Txn { Id = "POISON" });
        long poison = 0;
        var store = new RefusesOneRecordStore(_db.Queue, () => poison);
        await _db.Queue.FanOutAsync(_time.GetUtcNow(), 100, CancellationToken.None);
        var deliveries = await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None);
        Assert.That(deliveries, Has.Count.EqualTo(3));
        poison = deliveries[1].Id;

        await DispatcherRun.OnceAsync(Dispatcher(store));

        Assert.That(_receiver.Requests, Has.Count.EqualTo(3), "all three were sent");
        Assert.That(store.Calls, Is.GreaterThan(1), "the batch failed, then each was recorded alone");
        foreach (var d in await _db.Deliveries.ListDeliveriesAsync(null, 0, 100, CancellationToken.None))
        {
            var attempts = (await _db.Deliveries.GetDeliveryAsync(d.Id, CancellationToken.None))!.Value.Attempts;
            Assert.That((d.State, attempts.Count), Is.EqualTo(d.Id == poison ? ("pending", 0) : ("delivered", 1)), $"delivery {d.Id}");
        }
    }

    [Test]
    public async Task AFailedConnectionIsRecordedAsAFixedPhraseWithoutTheHostOrPort()
    {
        // A port nothing listens on (bound, then closed).
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await EndpointAsync($"http://127.0.0.1:{port}/hook");
        await ApplyAsync(new Txn { Id = "REFUSED" });
        await DispatcherRun.OnceAsync(Dispatcher());

        var delivery = await OnlyDeliveryAsync();
        var attempt = (await _db.Deliveries.GetDeliveryAsync(delivery.Id, CancellationToken.None))!.Value.Attempts.Single();
        Assert.That(attempt.Error, Is.EqualTo("connection refused"));
        Assert.That(delivery.LastError, Is.EqualTo("connection refused"));
    }

    /// <summary>A store whose recording fails as if the process died right after the request went out.</summary>
    private sealed class CrashAfterSendStore(IOutboxQueue inner) : ForwardingQueue(inner)
    {
        public override Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken ct) =>
            throw new IOException("crashed before recording");
    }

    /// <summary>A store whose claim takes as long as a lease: by the time the dispatcher would send,
    /// its lease has run out and another dispatcher (<paramref name="rival"/>) has claimed the delivery.</summary>
    private sealed class SlowClaimStore(IOutboxQueue inner, ManualTimeProvider time, Func<Task> rival) : ForwardingQueue(inner)
    {
        public override async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimLimits limits, CancellationToken ct)
        {
            var claimed = await base.ClaimDueAsync(owner, now, leaseUntil, limits, ct);
            time.Advance(leaseUntil - now + TimeSpan.FromSeconds(1));
            await rival();
            return claimed;
        }
    }
}
