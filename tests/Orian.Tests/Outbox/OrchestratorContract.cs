using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orian.Delivery;
using Orian.Ledger;
using Orian.Orchestrator;
using Orian.Outbox;
using Orian.Security;
using Orian.Service.Configuration;
using Orian.Service.Delivery;
using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>
/// Instruction updates against a real database and a stand-in Orchestrator on 127.0.0.1 that checks
/// the HMAC as documented, on a clock the test moves: the status mapping end to end, only changes,
/// late links, out-of-order versions, retries that never move an instruction back, the token cached
/// and refreshed, and the link references in tenant webhooks.
/// </summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class OrchestratorContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private OrianStorage _db = null!;
    private TestDatabase _database = null!;
    private ManualTimeProvider _time = null!;
    private OrchestratorServer _orchestrator = null!;
    private readonly List<IDisposable> _clients = [];

    [SetUp]
    public async Task SetUp()
    {
        _database = await CreateDatabaseAsync("orch");
        _db = _database.Storage;
        await _db.Schema.MigrateAsync(CancellationToken.None);
        _time = new ManualTimeProvider(Start);
        _orchestrator = await OrchestratorServer.StartAsync(_time);
    }

    [TearDown]
    public async Task TearDown()
    {
        _clients.ForEach(c => c.Dispose());
        if (_orchestrator is not null)
        {
            await _orchestrator.DisposeAsync();
        }
    }

    private WebhookDispatcher Dispatcher(
        string? privateKey = null, string? baseUrl = null, TimeProvider? dispatcherClock = null, Action<OutboxOptions>? configure = null,
        string orchestratorNetworks = TestService.LoopbackNetworks, bool trustTestAuthority = true)
    {
        var options = new OrchestratorOptions
        {
            AllowedPrivateNetworks = orchestratorNetworks,
            CaCertificatePath = trustTestAuthority ? TestCertificates.Instance.AuthorityPath : null,
            BaseUrl = baseUrl ?? _orchestrator.BaseUrl,
            PublicKey = OrchestratorServer.PublicKey,
            PrivateKey = privateKey ?? _orchestrator.PrivateKeyBase64,
            AccountId = OrchestratorServer.AccountId,
            TenantId = OrchestratorServer.TenantId,
        };
        var client = new OrchestratorClient(Options.Create(options), _time, NullLogger<OrchestratorClient>.Instance);
        _clients.Add(client);
        var outbox = new OutboxOptions
        {
            RetrySchedule = "5s,1m", JitterFraction = 0, LeaseSeconds = 30, RequestTimeoutMs = 5000, PollIntervalMs = 20, AllowedPrivateNetworks = TestService.LoopbackNetworks,
        };
        configure?.Invoke(outbox);
        return new WebhookDispatcher(_db.Queue, Options.Create(outbox), dispatcherClock ?? _time, new OutboxSignal(), client, NullLogger<WebhookDispatcher>.Instance);
    }

    /// <summary>The dispatcher's loops, until what is due now (and what that makes due) is settled.</summary>
    private static Task DrainAsync(WebhookDispatcher dispatcher) => DispatcherRun.OnceAsync(dispatcher);

    private Task ApplyAsync(params Txn[] txns) =>
        new LedgerBatchApplier(_db.Ledger, _time).ApplyAsync(txns.Select(t => t.Pending(_time.GetUtcNow())).ToList(), CancellationToken.None);

    private Task<LinkWrite> LinkAsync(string transactionId, string order = "ORD-1", string instruction = "INS-1", string? metadata = null) =>
        _db.Links.PutLinkAsync(transactionId, new InstructionLinkRefs(order, instruction, metadata), Operators.Test(_time.GetUtcNow()), CancellationToken.None);

    private string[] Statuses() => _orchestrator.Updates.Select(u => u.Status).ToArray();

    [Test]
    public async Task EachStatusChangeOfALinkedTransactionIsSentOnceWithTheDocumentedCall()
    {
        var dispatcher = Dispatcher();
        await LinkAsync("L1", "order-77", "instr_1.a");
        await ApplyAsync(new Txn { Id = "L1", Version = 1, Status = "AUTHORISED", Amount = 1234 });
        await DrainAsync(dispatcher);

        var first = _orchestrator.Updates.Single();
        Assert.That(_orchestrator.Refusals, Is.Empty);
        Assert.That((first.OrderRef, first.InstructionRef), Is.EqualTo(("order-77", "instr_1.a")));
        Assert.That(first.Status, Is.EqualTo("PROCESSING"));
        Assert.That(first.Body.GetProperty("transactionId").GetString(), Is.EqualTo("L1"));
        Assert.That(first.Version, Is.EqualTo(1));
        Assert.That(first.Body.GetProperty("amount").GetRawText(), Is.EqualTo("12.34"), "a decimal in major units, from 1234 minor units");
        Assert.That(first.Body.GetProperty("currency").GetString(), Is.EqualTo("GBP"));
        Assert.That(first.Body.GetProperty("occurredAt").GetDateTimeOffset(), Is.EqualTo(Start));
        Assert.That(first.Body.EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "status", "transactionId", "version", "amount", "currency", "occurredAt" }));

        // The same status again (a new amount) is not a change; completion is.
        await ApplyAsync(new Txn { Id = "L1", Version = 2, Status = "AUTHORISED", Amount = 1500 });
        await DrainAsync(dispatcher);
        Assert.That(Statuses(), Is.EqualTo(new[] { "PROCESSING" }));
        await ApplyAsync(new Txn { Id = "L1", Version = 3, Status = "COMPLETE", Amount = 1500 });
        await DrainAsync(dispatcher);
        Assert.That(Statuses(), Is.EqualTo(new[] { "PROCESSING", "SETTLED" }));
        Assert.That(_orchestrator.Updates.Last().Version, Is.EqualTo(3));

        // A re-sent version changes nothing and sends nothing.
        await ApplyAsync(new Txn { Id = "L1", Version = 3, Status = "COMPLETE", Amount = 1500 });
        await DrainAsync(dispatcher);
        Assert.That(Statuses(), Has.Length.EqualTo(2));
        Assert.That(_orchestrator.IdentityCalls, Is.EqualTo(1), "one token for all calls");
        var link = await _db.Links.GetLinkAsync("L1", CancellationToken.None);
        Assert.That((link!.LastStatus, link.LastVersion), Is.EqualTo(("SETTLED", (long?)3)));
    }

    [Test]
    public async Task TheOrchestratorHasItsOwnAllowListNotTheWebhooks()
    {
        // Loopback is open to tenant webhooks here, but not to the Orchestrator.
        var dispatcher = Dispatcher(orchestratorNetworks: "");
        await LinkAsync("EG1");
        await ApplyAsync(new Txn { Id = "EG1", Version = 1, Status = "AUTHORISED" });
        await DrainAsync(dispatcher);

        Assert.That(_orchestrator.IdentityCalls, Is.Zero, "not even the token call reached it");
        Assert.That(_orchestrator.Updates, Is.Empty);
        var update = (await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None)).Single(d => d.EventType == "instruction.updated");
        var detail = (await _db.Deliveries.GetDeliveryAsync(update.Id, CancellationToken.None))!.Value;
        Assert.That(detail.Attempts.Select(a => a.Error), Has.All.EqualTo("refused: private address"));
    }

    [Test]
    public async Task AnOrchestratorWhoseCertificateDoesNotChainToTheConfiguredAuthorityIsNotSentAnything()
    {
        // Without Orian:Orchestrator:CaCertificatePath only the machine's roots are trusted, and the
        // run's private authority is not among them.
        var dispatcher = Dispatcher(trustTestAuthority: false);
        await LinkAsync("TLS1");
        await ApplyAsync(new Txn { Id = "TLS1", Version = 1, Status = "AUTHORISED" });
        await DrainAsync(dispatcher);

        Assert.That(_orchestrator.IdentityCalls, Is.Zero);
        Assert.That(_orchestrator.Updates, Is.Empty);
        var update = (await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None)).Single(d => d.EventType == "instruction.updated");
        Assert.That(update.State, Is.EqualTo("pending"), "retried later, as any failed attempt");
        Assert.That(update.Attempts, Is.GreaterThan(0));
    }

    [TestCase("COMPLETE", "DECLINED", "FAILED")]
    [TestCase("CANCELLED", "APPROVED", "VOID")]
    [TestCase("EXPIRED", "APPROVED", "VOID")]
    [TestCase("MANUALLY_EXPIRED", "APPROVED", "VOID")]
    public async Task AnEndStateIsSentAfterTheAuthorisation(string status, string result, string expected)
    {
        var dispatcher = Dispatcher();
        await LinkAsync("M1");
        await ApplyAsync(new Txn { Id = "M1", Version = 1, Status = "AUTHORISED" });
        await ApplyAsync(new Txn { Id = "M1", Version = 2, Status = status, Result = result });
        await DrainAsync(dispatcher);
        Assert.That(Statuses(), Is.EqualTo(new[] { "PROCESSING", expected }).Or.EqualTo(new[] { expected, expected }),
            "both updates go out; whichever is sent last carries the newest status");
        Assert.That(_orchestrator.Updates.Last().Status, Is.EqualTo(expected));
    }

    /// <summary>A batch fans its events out with the links it read under lock; a link written while
    /// that batch is open must wait for it (and then find the transaction), or the instruction would
    /// never hear of it: the batch saw no link, the link write no transaction. The link write is
    /// started while the batch waits at its commit, and the batch let go only once the link write is
    /// seen waiting (PostgreSQL: its advisory lock not granted; SQLite: it cannot begin while the one
    /// writer is held; SQL Server: its key-range lock not granted).</summary>
    [Test]
    public async Task ALinkWrittenWhileABatchOfItsTransactionIsOpenWaitsForItAndTheInstructionIsToldOnce()
    {
        var gate = new CommitGateStore(_db.Ledger);
        gate.Close();
        var batch = new LedgerBatchApplier(gate, _time).ApplyAsync([new Txn { Id = "RACE", Version = 1, Status = "COMPLETE", Amount = 700 }.Pending(_time.GetUtcNow())], CancellationToken.None);
        await gate.Waiting.WaitAsync(Until.Guard);

        var link = LinkAsync("RACE");
        var waitingLocks = Provider.Name switch
        {
            "postgres" => "SELECT count(*) FROM pg_locks WHERE NOT granted",
            "sqlserver" => "SELECT count(*) FROM sys.dm_tran_locks WHERE request_status = 'WAIT'",
            _ => null,
        };
        if (waitingLocks is not null)
        {
            await Until.TrueAsync(async () => link.IsCompleted || await _database.ScalarAsync<long>(waitingLocks) > 0, "the link write waiting for the batch, or done");
        }

        Assert.That(link.IsCompleted, Is.False, "the link write waits while the batch is open");
        gate.Open();
        await batch;
        var written = await link;
        Assert.That(written.Queued, Is.EqualTo("SETTLED"), "the link write found the committed transaction and queued its status");

        await DrainAsync(Dispatcher());
        Assert.That(_orchestrator.Updates.Select(u => (u.Status, u.Version)), Is.EqualTo(new[] { ("SETTLED", 1L) }), "told once");
    }

    [Test]
    public async Task ALinkMadeAfterTheTransactionMovedStillSendsItsStatus()
    {
        var dispatcher = Dispatcher();
        await ApplyAsync(new Txn { Id = "LATE", Version = 2, Status = "COMPLETE", Amount = 900 });
        await DrainAsync(dispatcher);
        Assert.That(_orchestrator.Updates, Is.Empty);

        var written = await LinkAsync("LATE");
        Assert.That((written.Created, written.Queued), Is.EqualTo((true, "SETTLED")));
        await DrainAsync(dispatcher);
        var update = _orchestrator.Updates.Single();
        Assert.That((update.Status, update.Version), Is.EqualTo(("SETTLED", 2L)));

        // Writing the same link again queues nothing. The instruction has been told: the link can
        // neither move to another instruction nor be deleted (and then written elsewhere).
        Assert.That((await LinkAsync("LATE")).Queued, Is.Null);
        var moved = await LinkAsync("LATE", "ORD-2", "INS-9");
        Assert.That((moved.Conflict, moved.Queued, moved.Link.InstructionRef), Is.EqualTo((LinkConflict.AlreadyReported, (string?)null, "INS-1")));
        Assert.That(await _db.Links.DeleteLinkAsync("LATE", Operators.Test(_time.GetUtcNow()), CancellationToken.None), Is.EqualTo(LinkDelete.AlreadyReported));
        await DrainAsync(dispatcher);
        Assert.That(_orchestrator.Updates.Select(u => u.InstructionRef), Is.EqualTo(new[] { "INS-1" }));
        Assert.That((await _db.Links.GetLinkAsync("LATE", CancellationToken.None))!.InstructionRef, Is.EqualTo("INS-1"));
    }

    [Test]
    public async Task AnInstructionIsSettledByOneTransaction()
    {
        var dispatcher = Dispatcher();
        await ApplyAsync(new Txn { Id = "ONE-A", Version = 1, Status = "COMPLETE" }, new Txn { Id = "ONE-B", Version = 1, Status = "COMPLETE" });
        Assert.That((await LinkAsync("ONE-A", "ORD-U", "INS-U")).Queued, Is.EqualTo("SETTLED"));

        var second = await LinkAsync("ONE-B", "ORD-U", "INS-U");
        Assert.That((second.Conflict, second.Link.TransactionId), Is.EqualTo((LinkConflict.InstructionTaken, "ONE-A")));
        Assert.That(await _db.Links.GetLinkAsync("ONE-B", CancellationToken.None), Is.Null);
        await DrainAsync(dispatcher);
        Assert.That(_orchestrator.Updates.Select(u => u.Body.GetProperty("transactionId").GetString()), Is.EqualTo(new[] { "ONE-A" }));

        // A link that has told its instruction nothing yet may still move, and frees what it held.
        Assert.That((await LinkAsync("NEW-C", "ORD-V", "INS-V")).Queued, Is.Null, "no transaction yet");
        Assert.That((await LinkAsync("NEW-C", "ORD-W", "INS-W")).Conflict, Is.EqualTo(LinkConflict.None));
        Assert.That((await LinkAsync("ONE-B", "ORD-V", "INS-V")).Queued, Is.EqualTo("SETTLED"));
        Assert.That(await _db.Links.DeleteLinkAsync("NEW-C", Operators.Test(_time.GetUtcNow()), CancellationToken.None), Is.EqualTo(LinkDelete.Deleted));
    }

    [Test]
    public async Task LinksAnOlderBuildLeftAreSetAsideNotLostByTheMigration()
    {
        // The database as an older build left it: the rules of migration 016/015/010 undone.
        await using (var connection = await _db.Database.OpenAsync(CancellationToken.None))
        {
            var undo = _db.Database.Name switch
            {
                "sqlite" => "DROP INDEX ux_instruction_links_instruction; DROP TRIGGER tr_instruction_links_not_dots_insert; DROP TRIGGER tr_instruction_links_not_dots_update;",
                "sqlserver" => "DROP INDEX ux_instruction_links_instruction ON instruction_links; ALTER TABLE instruction_links DROP CONSTRAINT ck_instruction_links_not_dots;",
                _ => "DROP INDEX ux_instruction_links_instruction; ALTER TABLE instruction_links DROP CONSTRAINT ck_instruction_links_not_dots;",
            };
            await Dapper.SqlMapper.ExecuteAsync(connection, undo + " DROP TABLE instruction_link_conflicts; DELETE FROM schema_migrations WHERE name LIKE '%one_link_per_instruction%';");
            var at = _time.GetUtcNow();
            foreach (var (id, order, instruction, minutes) in new[]
                     {
                         ("OLD-A", "ORD-O", "INS-O", 1), ("OLD-B", "ORD-O", "INS-O", 2), ("OLD-C", "ORD-O", "INS-O", 1),
                         ("OLD-D", "..", "INS-P", 0), ("OLD-E", "ORD-Q", "INS-Q", 5),
                     })
            {
                await Dapper.SqlMapper.ExecuteAsync(connection,
                    "INSERT INTO instruction_links (transaction_id, order_ref, instruction_ref, last_status, created_at, updated_at) VALUES (@id, @order, @instruction, 'SETTLED', @created, @created)",
                    new { id, order, instruction, created = at.AddMinutes(minutes) });
            }
        }

        await _db.Schema.MigrateAsync(CancellationToken.None);

        Assert.That(await _db.Links.GetLinkAsync("OLD-A", CancellationToken.None), Is.Not.Null, "the first link to an instruction stays");
        Assert.That(await _db.Links.GetLinkAsync("OLD-E", CancellationToken.None), Is.Not.Null, "a link breaking no rule stays");
        foreach (var id in new[] { "OLD-B", "OLD-C", "OLD-D" })
        {
            Assert.That(await _db.Links.GetLinkAsync(id, CancellationToken.None), Is.Null, id);
        }

        await using var read = await _db.Database.OpenAsync(CancellationToken.None);
        var aside = (await Dapper.SqlMapper.QueryAsync<(string, string)>(read, "SELECT transaction_id, reason FROM instruction_link_conflicts ORDER BY transaction_id")).ToList();
        Assert.That(aside, Is.EqualTo(new[] { ("OLD-B", "instruction_linked_twice"), ("OLD-C", "instruction_linked_twice"), ("OLD-D", "dot_only_reference") }));
    }

    [Test]
    public async Task TheDatabaseItselfRefusesASecondLinkToAnInstructionAndDotOnlyReferences()
    {
        await LinkAsync("DB-A", "ORD-D", "INS-D");
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
        foreach (var (order, instruction) in new[] { ("ORD-D", "INS-D"), ("..", "INS-E"), ("ORD-E", "."), ("...", "...") })
        {
            Assert.That(async () => await Dapper.SqlMapper.ExecuteAsync(connection,
                    "INSERT INTO instruction_links (transaction_id, order_ref, instruction_ref, created_at, updated_at) VALUES (@id, @order, @instruction, @at, @at)",
                    new { id = $"DB-{order}-{instruction}", order, instruction, at = _time.GetUtcNow() }),
                Throws.InstanceOf<System.Data.Common.DbException>(), $"{order}/{instruction}");
        }
    }

    [Test]
    public async Task AnOlderVersionArrivingLateSendsNothing()
    {
        var dispatcher = Dispatcher();
        await LinkAsync("OOO");
        await ApplyAsync(new Txn { Id = "OOO", Version = 2, Status = "COMPLETE" });
        await DrainAsync(dispatcher);
        await ApplyAsync(new Txn { Id = "OOO", Version = 1, Status = "AUTHORISED" }); // stale
        await DrainAsync(dispatcher);
        Assert.That(Statuses(), Is.EqualTo(new[] { "SETTLED" }));
    }

    [Test]
    public async Task ARetriedOlderUpdateCarriesTheNewestStatusSoTheInstructionNeverMovesBack()
    {
        var dispatcher = Dispatcher();
        await LinkAsync("RB");
        _orchestrator.Respond(1, 503);
        await ApplyAsync(new Txn { Id = "RB", Version = 1, Status = "AUTHORISED" });
        await DrainAsync(dispatcher);                      // PROCESSING refused, retry due in 5 s
        await ApplyAsync(new Txn { Id = "RB", Version = 2, Status = "COMPLETE" });
        await DrainAsync(dispatcher);                      // SETTLED delivered
        _time.Advance(TimeSpan.FromSeconds(6));
        await DrainAsync(dispatcher);                      // the retry of the first update

        Assert.That(Statuses(), Is.EqualTo(new[] { "PROCESSING", "SETTLED", "SETTLED" }));
        var deliveries = await _db.Links.GetInstructionUpdatesAsync("RB", CancellationToken.None);
        Assert.That(deliveries.Select(d => d.State), Is.EqualTo(new[] { "delivered", "delivered" }));
        Assert.That(deliveries[0].Attempts, Is.EqualTo(2));
        var correlations = _orchestrator.Updates.Select(u => u.CorrelationId).ToArray();
        Assert.That(correlations[2], Is.EqualTo(correlations[0]), "a retry keeps its correlation id");
        Assert.That(correlations[1], Is.Not.EqualTo(correlations[0]));
    }

    [Test]
    public async Task AtMostOneUpdatePerInstructionIsInFlightAcrossDispatchers()
    {
        await LinkAsync("ONE");
        await ApplyAsync(new Txn { Id = "ONE", Version = 1, Status = "AUTHORISED" });
        await ApplyAsync(new Txn { Id = "ONE", Version = 2, Status = "COMPLETE" });
        await LinkAsync("TWO", instruction: "INS-2");
        await ApplyAsync(new Txn { Id = "TWO", Status = "AUTHORISED" });
        var now = _time.GetUtcNow();
        await _db.Queue.FanOutAsync(now, 100, CancellationToken.None);
        Assert.That((await _db.Links.GetInstructionUpdatesAsync("ONE", CancellationToken.None)).Select(u => u.Status), Is.EqualTo(new[] { "PROCESSING", "SETTLED" }),
            "two updates of one instruction wait, both due");

        var first = await _db.Queue.ClaimDueAsync("a", now, now.AddSeconds(30), new ClaimLimits(100, 100, true), CancellationToken.None);
        Assert.That(first.Select(c => c.Payload).Count(p => p.Contains("\"ONE\"", StringComparison.Ordinal)), Is.EqualTo(1), "one update of ONE at a time");
        Assert.That(first, Has.Count.EqualTo(2), "and TWO's beside it");
        var second = await _db.Queue.ClaimDueAsync("b", now, now.AddSeconds(30), new ClaimLimits(100, 100, true), CancellationToken.None);
        Assert.That(second, Is.Empty, "another dispatcher gets nothing of ONE while its update is in flight");

        var sent = first.Single(c => c.Payload.Contains("\"ONE\"", StringComparison.Ordinal));
        Assert.That(sent.Payload, Does.Contain("\"SETTLED\""), "the one in flight carries the newest status");
        await _db.Queue.RecordAttemptsAsync("a", [new AttemptOutcome(sent.Id, sent.EndpointId, 1, now, 200, 1, null, true, null, false)], CancellationToken.None);
        var third = await _db.Queue.ClaimDueAsync("b", now, now.AddSeconds(30), new ClaimLimits(100, 100, true), CancellationToken.None);
        Assert.That(third, Has.Count.EqualTo(1), "once it is done, the next update of ONE can go");
    }

    [Test]
    public async Task TwoDispatchersNeverMoveAnInstructionBackwardsWhileTheOrchestratorFailsAtRandom()
    {
        var answers = new Random(77);
        _orchestrator.Otherwise = _ =>
        {
            lock (answers)
            {
                return answers.NextDouble() < 0.3 ? 503 : 200;
            }
        };
        const int instructions = 25;
        for (var i = 1; i <= instructions; i++)
        {
            await LinkAsync($"BK{i}", instruction: $"INS-BK{i}");
        }

        // Two continuous dispatchers on the real clock (retries fall due on their own), the versions
        // arriving while they run.
        void Configure(OutboxOptions o)
        {
            (o.MaxConcurrency, o.MaxConcurrencyPerEndpoint, o.BatchSize, o.PollIntervalMs) = (6, 6, 5, 20);
            o.RetrySchedule = string.Join(',', Enumerable.Repeat("20ms", 12));
            // Three failures in five open the circuit now and then (the answers are random); a short
            // break keeps that from outlasting the test, and a failed probe from stalling it twice.
            o.CircuitBreakMs = 500;
        }

        var runs = Enumerable.Range(0, 2).Select(_ =>
        {
            var stop = new CancellationTokenSource();
            return (Running: Dispatcher(dispatcherClock: TimeProvider.System, configure: Configure).RunAsync(stop.Token), Stop: stop);
        }).ToList();
        try
        {
            for (var i = 1; i <= instructions; i++)
            {
                await ApplyAsync(new Txn { Id = $"BK{i}", Version = 1, Status = "AUTHORISED" });
            }

            for (var i = 1; i <= instructions; i++)
            {
                await ApplyAsync(new Txn { Id = $"BK{i}", Version = 2, Status = "COMPLETE" });
            }

            await Until.TrueAsync(async () =>
                (await _db.Deliveries.GetBacklogAsync(Backlog.Exact, CancellationToken.None)).Unfanned == 0
                && (await _db.Deliveries.ListDeliveriesAsync("pending", 0, 1000, CancellationToken.None)).Count == 0
                && _orchestrator.Accepted.Where(u => u.Status == "SETTLED").Select(u => u.InstructionRef).Distinct().Count() == instructions,
                "every instruction settled at the Orchestrator and nothing left pending");
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.Stop.CancelAsync();
            }

            await Task.WhenAll(runs.Select(r => r.Running));
        }

        Assert.That(_orchestrator.Refusals, Is.Empty);
        Assert.That(_orchestrator.Updates.Count, Is.GreaterThan(_orchestrator.Accepted.Count), "some calls failed and were retried");
        foreach (var instruction in _orchestrator.Accepted.GroupBy(u => u.InstructionRef))
        {
            var versions = instruction.Select(u => u.Version).ToList();
            Assert.That(versions, Is.Ordered, $"{instruction.Key}: accepted updates never go back to an older version");
            Assert.That(instruction.Last().Status, Is.EqualTo("SETTLED"));
            Assert.That(instruction.SkipWhile(u => u.Status != "SETTLED").Select(u => u.Status), Has.All.EqualTo("SETTLED"),
                $"{instruction.Key}: nothing after SETTLED moves it back");
        }

        Assert.That((await _db.Deliveries.ListDeliveriesAsync(null, 0, 1000, CancellationToken.None)).Select(d => d.State), Has.All.EqualTo("delivered"));
    }

    [Test]
    public async Task TheTokenIsCachedRefreshedBeforeItExpiresAndReplacedWhenRefused()
    {
        var dispatcher = Dispatcher();
        for (var i = 1; i <= 3; i++)
        {
            await LinkAsync($"TK{i}", instruction: $"INS-{i}");
            await ApplyAsync(new Txn { Id = $"TK{i}", Status = "AUTHORISED" });
            await DrainAsync(dispatcher);
        }

        Assert.That(_orchestrator.Updates, Has.Count.EqualTo(3));
        Assert.That(_orchestrator.IdentityCalls, Is.EqualTo(1), "the token is reused");

        // 30 s before expiry is inside the 60 s refresh margin: a new token before the call.
        _time.Advance(_orchestrator.TokenLifetime - TimeSpan.FromSeconds(30));
        await LinkAsync("TK4", instruction: "INS-4");
        await ApplyAsync(new Txn { Id = "TK4", Status = "AUTHORISED" });
        await DrainAsync(dispatcher);
        Assert.That(_orchestrator.IdentityCalls, Is.EqualTo(2));
        Assert.That(_orchestrator.Refusals, Is.Empty, "no call went out with an expired token");

        // Revoked on the Orchestrator's side: the 401 gets a new token and the call is made again.
        _orchestrator.RevokeTokens();
        await LinkAsync("TK5", instruction: "INS-5");
        await ApplyAsync(new Txn { Id = "TK5", Status = "AUTHORISED" });
        await DrainAsync(dispatcher);
        Assert.That(_orchestrator.IdentityCalls, Is.EqualTo(3));
        Assert.That(_orchestrator.Updates.Select(u => u.InstructionRef), Does.Contain("INS-5"));
        Assert.That((await _db.Links.GetInstructionUpdatesAsync("TK5", CancellationToken.None)).Single().State, Is.EqualTo("delivered"));
    }

    [Test]
    public async Task AWrongPrivateKeyIsRefusedAndTheUpdateWaitsForItsRetry()
    {
        var dispatcher = Dispatcher(privateKey: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await LinkAsync("BADKEY");
        await ApplyAsync(new Txn { Id = "BADKEY", Status = "AUTHORISED" });
        await DrainAsync(dispatcher);

        Assert.That(_orchestrator.Updates, Is.Empty);
        Assert.That(_orchestrator.Refusals, Does.Contain("identity: the signature does not match"));
        var update = (await _db.Links.GetInstructionUpdatesAsync("BADKEY", CancellationToken.None)).Single();
        Assert.That(update.State, Is.EqualTo("pending"));
        Assert.That(update.LastError, Does.Contain("identity"));
    }

    [Test]
    public async Task AnOrchestratorThatIsDownGetsTheUpdateWhenItIsBack()
    {
        var dispatcher = Dispatcher();
        await LinkAsync("DOWN");
        _orchestrator.Respond(2, 500);
        await ApplyAsync(new Txn { Id = "DOWN", Status = "AUTHORISED" });
        await DrainAsync(dispatcher);
        _time.Advance(TimeSpan.FromSeconds(6));
        await DrainAsync(dispatcher);
        _time.Advance(TimeSpan.FromMinutes(2));
        await DrainAsync(dispatcher);

        var update = (await _db.Links.GetInstructionUpdatesAsync("DOWN", CancellationToken.None)).Single();
        Assert.That((update.State, update.Attempts), Is.EqualTo(("delivered", 3)));
        Assert.That(_orchestrator.Updates.Select(u => u.CorrelationId).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task TenantsGetInstructionUpdatedAndTheLinkReferencesInTransactionEvents()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var key = RandomNumberGenerator.GetBytes(32);
        await _db.Endpoints.CreateEndpointAsync(new WebhookEndpointRow
        {
            Id = "we_links",
            Url = receiver.Url,
            Events = $"{EventTypes.TransactionUpdated},{EventTypes.InstructionUpdated}",
            Secret = StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(key),
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
        }, Operators.Test(_time.GetUtcNow()), CancellationToken.None);
        await LinkAsync("TEN", "ORD-5", "INS-5", """{"policy":"P-123"}""");
        await ApplyAsync(new Txn { Id = "TEN", Status = "COMPLETE", Amount = 700 });
        await DrainAsync(Dispatcher());

        var bodies = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var byType = bodies.ToDictionary(b => b.GetProperty("type").GetString()!, b => b.GetProperty("data"));
        Assert.That(byType.Keys, Is.EquivalentTo(new[] { "transaction.updated", "instruction.updated" }));
        foreach (var data in byType.Values)
        {
            Assert.That(data.GetProperty("order_ref").GetString(), Is.EqualTo("ORD-5"));
            Assert.That(data.GetProperty("instruction_ref").GetString(), Is.EqualTo("INS-5"));
            Assert.That(data.GetProperty("metadata").GetProperty("policy").GetString(), Is.EqualTo("P-123"));
        }

        var instruction = byType["instruction.updated"];
        Assert.That(instruction.GetProperty("status").GetString(), Is.EqualTo("SETTLED"));
        Assert.That(instruction.GetProperty("previous_status").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(instruction.GetProperty("transaction_status").GetString(), Is.EqualTo("COMPLETE"));
        Assert.That(instruction.GetProperty("amount").GetProperty("amount").GetInt64(), Is.EqualTo(700));
        Assert.That(_orchestrator.Updates.Single().Status, Is.EqualTo("SETTLED"));
    }

    [Test]
    public async Task WithoutAnOrchestratorConfiguredUpdatesWaitInsteadOfBeingLost()
    {
        var none = new OrchestratorClient(Options.Create(new OrchestratorOptions()), _time, NullLogger<OrchestratorClient>.Instance);
        _clients.Add(none);
        var idle = new WebhookDispatcher(_db.Queue, Options.Create(new OutboxOptions { AllowedPrivateNetworks = TestService.LoopbackNetworks }), _time, new OutboxSignal(), none, NullLogger<WebhookDispatcher>.Instance);
        await LinkAsync("WAIT");
        await ApplyAsync(new Txn { Id = "WAIT", Status = "AUTHORISED" });
        await DrainAsync(idle);
        Assert.That((await _db.Links.GetInstructionUpdatesAsync("WAIT", CancellationToken.None)).Single().State, Is.EqualTo("pending"));

        await DrainAsync(Dispatcher());
        Assert.That(Statuses(), Is.EqualTo(new[] { "PROCESSING" }));
    }

    [Test]
    public async Task AHugeAnswerIsReadOnlyUpToTheLimit()
    {
        await using var huge = new HugeAnswerServer(300L * 1024 * 1024);
        await LinkAsync("HUGE");
        await ApplyAsync(new Txn { Id = "HUGE", Status = "AUTHORISED" });
        await DrainAsync(Dispatcher(baseUrl: huge.BaseUrl));

        var update = (await _db.Links.GetInstructionUpdatesAsync("HUGE", CancellationToken.None)).Single();
        Assert.That(update.State, Is.EqualTo("pending"), "a failed attempt, to be retried");
        Assert.That(update.LastError, Does.Contain($"larger than {Egress.MaxResponseBytes} bytes"));
        // What the kernel buffers on both ends of a loopback connection (a few MB at most) may still
        // go out after the client stops reading; 300 MB may not.
        Assert.That(huge.BytesSent, Is.LessThan(32L * 1024 * 1024), "the client stopped reading long before 300 MB");
    }
}
