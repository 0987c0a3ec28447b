using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Orian.Api;
using Orian.Cli;
using Orian.Cli.Replay;
using Orian.Tests.Support;
using Spectre.Console;

namespace Orian.Tests.Cli;

/// <summary>The <c>orian</c> commands, run in-process against the service on 127.0.0.1 exactly as
/// from a terminal (arguments in, text and an exit code out).</summary>
[TestFixture]
public sealed class CliTests
{
    /// <summary>Scenarios whose end state does not depend on arrival order: no delegated decisions
    /// (they depend on the balance at the time), no conflicting bodies, no unknown statuses.</summary>
    private static readonly string[] OrderFree =
    [
        "02-clearing-above-authorisation", "03-authorisation-expiry", "04-manual-expiry", "06-same-day-reversal", "07-partial-reversal",
        "08-offline-clearing-overdraws", "09-refund", "10-load", "11-foreign-currency", "12-partial-approval", "15-balance-enquiry",
    ];

    private readonly List<string> _folders = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        _folders.Clear();
    }

    /// <summary>A console writing plain text (no colour, no escapes) to <paramref name="writer"/>, wide enough for any table.</summary>
    private static IAnsiConsole PlainConsole(StringWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return console;
    }

    private static Task<(int Code, string Output)> RunAsync(TestService service, params string[] args) => RunAsync(service, null, args);

    private static Task<(int Code, string Output)> RunAsync(TestService service, Dictionary<string, string?>? overrides, params string[] args) =>
        RunAsync(service.Address.ToString(), service.OperatorKey, overrides, args);

    private static async Task<(int Code, string Output)> RunAsync(string target, string? operatorKey, Dictionary<string, string?>? overrides, params string[] args)
    {
        using var writer = new StringWriter();
        var console = PlainConsole(writer);
        var environment = new Dictionary<string, string?>
        {
            ["ORIAN_TARGET"] = target,
            ["ORIAN_PPS_USER"] = TestService.PpsUser,
            ["ORIAN_PPS_PASSWORD"] = TestService.PpsPassword,
            ["ORIAN_API_KEY"] = operatorKey,
        };
        foreach (var (name, value) in overrides ?? [])
        {
            environment[name] = value;
        }

        var code = await OrianCli.RunAsync(args, console, writer, name => environment.GetValueOrDefault(name));
        return (code, writer.ToString());
    }

    private string Folder(params string[] scenarios)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"orian-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        _folders.Add(folder);
        foreach (var scenario in scenarios)
        {
            foreach (var file in Directory.EnumerateFiles(Repository.Samples, scenario + ".*"))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
        }

        return folder;
    }

    private static async Task<Dictionary<string, (long Posted, long Held)>> BalancesAsync(TestService service, IEnumerable<string> accounts)
    {
        var balances = new Dictionary<string, (long, long)>();
        foreach (var account in accounts)
        {
            var a = (await service.GetJsonOrNullAsync($"/v1/accounts/{account}"))!.Value;
            balances[account] = (a.GetProperty("posted").GetInt64(), a.GetProperty("held").GetInt64());
        }

        return balances;
    }

    /// <summary>A backlog count that stopped where the service counts up to reads as "at least".</summary>
    [Test]
    public void TheStatusViewShowsACountThatStoppedAsAtLeastThatMany()
    {
        using var writer = new StringWriter();
        var console = PlainConsole(writer);
        var status = new StatusResponse(DateTimeOffset.UnixEpoch, "here", new DatabaseStatusModel("postgres", true, 1, null, null, null), [],
            new EventRatesModel(60, 0, 0, 0, 0, 0, 0), new DecisionStatsModel(0, 0, null, null),
            new OutboxStatusModel(12, 10_000, 95.5, 9_999, 0, null, null, CountedUpTo: 10_000), 0);

        Render.Status(console, status);

        var row = writer.ToString().Split('\n').Single(l => l.Contains("95.5 s", StringComparison.Ordinal));
        Assert.That(row, Does.Contain("10,000+").And.Contain("9,999").And.Not.Contain("9,999+").And.Contain(" 12 "), row);
    }

    [Test]
    public async Task ShuffledAndDuplicatedReplayEndsWithTheSameBalancesAsInOrder()
    {
        var folder = Folder(OrderFree);
        var accounts = OrderFree.Select(s => "SMP-" + s[..2]).ToList();
        await using var inOrder = await TestService.StartSqliteAsync();
        await using var shuffled = await TestService.StartPostgresAsync("cli");

        var (first, output) = await RunAsync(inOrder, "replay", folder, "--concurrency", "1");
        Assert.That(first, Is.EqualTo(ExitCodes.Ok), output);
        var (second, summary) = await RunAsync(shuffled, "replay", folder, "--shuffle", "--duplicate", "0.5", "--seed", "7", "--concurrency", "8", "--json");
        Assert.That(second, Is.EqualTo(ExitCodes.Ok), summary);

        using var json = JsonDocument.Parse(summary);
        var outcomes = json.RootElement.GetProperty("outcomes");
        var events = OrderFree.Sum(s => EventSource.Read([Folder(s)]).Events.Count);
        Assert.That(json.RootElement.GetProperty("sent").GetInt32(), Is.EqualTo(events + (int)Math.Round(events * 0.5)));
        Assert.That(outcomes.GetProperty("duplicate").GetInt32() + outcomes.GetProperty("stale").GetInt32(), Is.GreaterThan(0), "the copies were seen as copies");
        Assert.That(outcomes.GetProperty("rejected").GetInt32() + outcomes.GetProperty("failed").GetInt32(), Is.Zero);
        Assert.That(await BalancesAsync(shuffled, accounts), Is.EqualTo(await BalancesAsync(inOrder, accounts)));
    }

    [Test]
    public async Task ReplayingAgainIsHarmless()
    {
        var folder = Folder("09-refund");
        await using var service = await TestService.StartSqliteAsync();
        Assert.That((await RunAsync(service, "replay", folder)).Code, Is.EqualTo(ExitCodes.Ok));
        var before = await BalancesAsync(service, ["SMP-09"]);

        var (code, output) = await RunAsync(service, "replay", folder);
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Match(@"duplicate\s*│\s*3\b"), output);
        Assert.That(await BalancesAsync(service, ["SMP-09"]), Is.EqualTo(before));
    }

    [Test]
    public async Task ADryRunNamesTheFileAndLineOfABrokenEventAndSendsNothing()
    {
        var folder = Folder();
        var broken = Path.Combine(folder, "broken.json");
        await File.WriteAllTextAsync(broken, """
            [
              { "id": "DRY-1", "version": 1, "txn_lifecycle_status": "COMPLETE" },
              { "id": "DRY-2", "version": 1, "txn_lifecycle_status": "COMPLETE",
                "authorisation": { "txn_amounts": { "cardholder_amount": { "amount": 10 } } } }
            ]
            """);
        await using var service = await TestService.StartSqliteAsync();

        var (code, output) = await RunAsync(service, "replay", folder, "--dry-run");
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(output, Does.Contain($"{broken}:3: authorisation.txn_amounts.cardholder_amount.currency"), output);
        Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/DRY-1"), Is.Null, "a dry run sends nothing");
    }

    [Test]
    public async Task AFileThatIsNotJsonIsRefusedWithItsLineBeforeAnythingIsSent()
    {
        var folder = Folder();
        var file = Path.Combine(folder, "events.jsonl");
        await File.WriteAllTextAsync(file, "{\"id\":\"BAD-1\",\"version\":1,\"txn_lifecycle_status\":\"COMPLETE\"}\n{\"id\":\"BAD-2\",\"version\":\n");
        await using var service = await TestService.StartSqliteAsync();

        var (code, output) = await RunAsync(service, "replay", file);
        Assert.That(code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That(output, Does.Contain($"{file}:2: not valid JSON"), output);
        Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/BAD-1"), Is.Null);
    }

    [Test]
    public async Task AnEventTheServiceRejectsGivesExitCodeOneAndItsReason()
    {
        var folder = Folder();
        var file = Path.Combine(folder, "mixed.json");
        var good = new Txn { Id = "REJ-OK", Account = "CLI-REJ" }.Json;
        // Parses locally (an id and a version), but the service refuses a negative version.
        await File.WriteAllTextAsync(file, $"[{good},\n{{\"id\":\"REJ-BAD\",\"version\":-1,\"txn_lifecycle_status\":\"COMPLETE\"}}]");
        await using var service = await TestService.StartSqliteAsync();

        var (code, output) = await RunAsync(service, "replay", file);
        Assert.That(code, Is.EqualTo(ExitCodes.Rejected), output);
        Assert.That(output, Does.Match(@"applied\s*│\s*1\b"), output);
        Assert.That(output, Does.Match(@"rejected\s*│\s*1\b"), output);
        Assert.That(output, Does.Contain($"{file}:2 REJ-BAD v-1: 400 version"), output);
        Assert.That(await service.GetJsonOrNullAsync("/v1/transactions/REJ-OK"), Is.Not.Null);
    }

    [Test]
    public async Task WrongCredentialsAreReportedAsUnreachable()
    {
        var folder = Folder("10-load");
        await using var service = await TestService.StartSqliteAsync();
        var (code, output) = await RunAsync(service, "replay", folder, "--password", "wrong-password");
        Assert.That(code, Is.EqualTo(ExitCodes.Unreachable), output);
        Assert.That(output, Does.Contain("401"), output);
        Assert.That(await service.GetJsonOrNullAsync("/v1/accounts/SMP-10"), Is.Null);
    }

    [Test]
    public async Task AccountTxnAndDeliveriesShowWhatTheServiceHolds()
    {
        await using var service = await TestService.StartSqliteAsync();
        Assert.That((await RunAsync(service, "replay", Folder("02-clearing-above-authorisation"))).Code, Is.EqualTo(ExitCodes.Ok));

        var (code, table) = await RunAsync(service, "account", "SMP-02");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(table, Does.Match(@"posted\s*│\s*2600\s*│\s*26\.00"), table);

        var (jsonCode, json) = await RunAsync(service, "account", "SMP-02", "--json");
        Assert.That(jsonCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("available").GetInt64(), Is.EqualTo(2600));

        var (txnCode, txn) = await RunAsync(service, "txn", "S02-MEAL");
        Assert.That(txnCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(txn, Does.Match(@"│\s*1\s*│\s*applied").And.Match(@"│\s*2\s*│\s*applied"), txn);

        Assert.That((await RunAsync(service, "replay", Folder("16-3ds-results"))).Code, Is.EqualTo(ExitCodes.Ok));
        var (secureCode, secure) = await RunAsync(service, "txn", "S16-WEB2");
        Assert.That(secureCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(secure, Does.Contain("secure_auth").And.Contain("EXEMPT_LOW_VALUE_MERCHANT").And.Contain("MERCHANT").And.Contain("04"), secure);

        Assert.That((await RunAsync(service, "txn", "NO-SUCH-TXN")).Code, Is.EqualTo(ExitCodes.NotFound));
        var (deliveriesCode, deliveries) = await RunAsync(service, "deliveries", "--state", "dead");
        Assert.That(deliveriesCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(deliveries, Does.Contain("0 deliveries"));
        var (redriveCode, redrive) = await RunAsync(service, "deliveries", "redrive", "--all");
        Assert.That((redriveCode, redrive.Trim()), Is.EqualTo((ExitCodes.Ok, "Re-drove 0 deliveries.")));
    }

    [Test]
    public async Task UsageErrorsExitWithTwo()
    {
        await using var service = await TestService.StartSqliteAsync();
        Assert.That((await RunAsync(service, "deliveries", "redrive")).Code, Is.EqualTo(ExitCodes.InvalidInput), "neither an id nor --all");
        Assert.That((await RunAsync(service, "replay", Folder(), "--duplicate", "2")).Code, Is.EqualTo(ExitCodes.InvalidInput));
        Assert.That((await RunAsync(service, "replay", "/no/such/folder")).Code, Is.EqualTo(ExitCodes.InvalidInput));
        var (badTarget, saidTarget) = await RunAsync(service, "account", "A-1", "--target", "not a url");
        Assert.That(badTarget, Is.EqualTo(ExitCodes.InvalidInput), saidTarget);
        Assert.That(saidTarget, Does.Contain("--target is not a URL"));
        var (badKey, saidKey) = await RunAsync(service, new Dictionary<string, string?> { ["ORIAN_PUBLIC_KEY"] = "pk_1", ["ORIAN_PRIVATE_KEY"] = "not base64!" }, "account", "A-1");
        Assert.That(badKey, Is.EqualTo(ExitCodes.InvalidInput), saidKey);
        Assert.That(saidKey, Does.Contain("not Base64"));
    }

    [Test]
    public async Task AnInterruptedReplayStopsSendingAndReportsWhatItSent()
    {
        var (events, _) = EventSource.Read([Folder("07-partial-reversal")]);
        await using var service = await TestService.StartSqliteAsync();
        using var stop = new CancellationTokenSource();
        var report = await new ReplayRunner(service.Pps, TimeProvider.System).RunAsync(events, new ReplayOptions(Concurrency: 1), _ => stop.Cancel(), stop.Token);

        Assert.That(report.Interrupted, Is.True);
        Assert.That(report.Sent.Count(), Is.EqualTo(1), "the request in flight finished; no new one started");
        Assert.That(report.NotSent, Is.EqualTo(events.Count - 1));
        Assert.That(report.Clean, Is.False);
    }

    [Test]
    public async Task KeysAreCreatedListedWithoutSecretsUsedAsAPairAndRevoked()
    {
        await using var service = await TestService.StartSqliteAsync();
        var (code, output) = await RunAsync(service, "keys", "create", "--name", "reporting", "--role", "orian-account-read", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output);
        using var created = JsonDocument.Parse(output);
        var id = created.RootElement.GetProperty("id").GetString()!;
        var publicKey = created.RootElement.GetProperty("public_key").GetString()!;
        var privateKey = created.RootElement.GetProperty("private_key").GetString()!;

        var (listCode, list) = await RunAsync(service, "keys", "list");
        Assert.That(listCode, Is.EqualTo(ExitCodes.Ok), list);
        Assert.That(list, Does.Contain(id).And.Contain("reporting").And.Contain("orian-account-read").And.Not.Contain(privateKey), "a table never shows a private key");

        // The pair from the environment, as a script would: the CLI buys a token with the HMAC exchange.
        var pair = new Dictionary<string, string?> { ["ORIAN_API_KEY"] = null, ["ORIAN_PUBLIC_KEY"] = publicKey, ["ORIAN_PRIVATE_KEY"] = privateKey };
        await service.PutAsync(new Txn { Id = "KEY-1", Account = "CLI-KEY" });
        var (readCode, read) = await RunAsync(service, pair, "account", "CLI-KEY");
        Assert.That(readCode, Is.EqualTo(ExitCodes.Ok), read);
        var (deniedCode, denied) = await RunAsync(service, pair, "deliveries");
        Assert.That(deniedCode, Is.EqualTo(ExitCodes.Unreachable), denied);
        Assert.That(denied, Does.Contain("403").And.Contain("orian-delivery-read"), denied);

        var (revokeCode, revoked) = await RunAsync(service, "keys", "revoke", id);
        Assert.That(revokeCode, Is.EqualTo(ExitCodes.Ok), revoked);
        var (afterCode, after) = await RunAsync(service, pair, "account", "CLI-KEY");
        Assert.That(afterCode, Is.EqualTo(ExitCodes.Unreachable), after);

        var (auditCode, audit) = await RunAsync(service, "audit", "--target", $"api_key:{id}", "--json");
        Assert.That(auditCode, Is.EqualTo(ExitCodes.Ok), audit);
        using var entries = JsonDocument.Parse(audit);
        Assert.That(entries.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()),
            Is.EqualTo(new[] { "api_key.create", "api_key.revoke" }));
        Assert.That(audit, Does.Not.Contain(privateKey));
    }

    [Test]
    public async Task DeliveryStatsShowTheBacklogPerDestination()
    {
        await using var service = await TestService.StartSqliteAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        using (var created = await service.Operator.PostAsync("/v1/webhook-endpoints",
            new StringContent($$"""{"url":"{{receiver.Url}}","events":["transaction.updated"]}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.That(created.IsSuccessStatusCode, Is.True);
        }

        var (code, output) = await RunAsync(service, "deliveries", "--stats", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output);
        using var stats = JsonDocument.Parse(output);
        foreach (var field in new[] { "events_not_fanned_out", "pending", "in_flight", "dead", "delivered" })
        {
            Assert.That(stats.RootElement.GetProperty(field).GetInt64(), Is.GreaterThanOrEqualTo(0), field);
        }

        var (tableCode, table) = await RunAsync(service, "deliveries", "--stats");
        Assert.That(tableCode, Is.EqualTo(ExitCodes.Ok), table);
        Assert.That(table, Does.Contain("events not fanned out yet").And.Contain("in flight"), table);
    }

    [Test]
    public async Task StatusShowsWhatTheServiceDidAsATableOrJson()
    {
        await using var service = await TestService.StartSqliteAsync(settings: new() { ["Orian:Pipeline:Partitions"] = "2" });
        using (var put = await service.PutAsync(new Txn { Id = "CLI-ST-1" }))
        {
            Assert.That(put.IsSuccessStatusCode, Is.True);
        }

        var (code, output) = await RunAsync(service, "status", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output);
        using var status = JsonDocument.Parse(output);
        Assert.That(status.RootElement.GetProperty("events").GetProperty("applied").GetInt64(), Is.EqualTo(1));
        Assert.That(status.RootElement.GetProperty("partitions").GetArrayLength(), Is.EqualTo(2));

        var (tableCode, table) = await RunAsync(service, "status", "--once");
        Assert.That(tableCode, Is.EqualTo(ExitCodes.Ok), table);
        Assert.That(table, Does.Contain("events/s").And.Contain("partitions (waiting)").And.Contain("reachable").And.Contain("accounts overdrawn"), table);

        var (refused, message) = await RunAsync(service, new Dictionary<string, string?> { ["ORIAN_API_KEY"] = "not-a-key" }, "status", "--once");
        Assert.That(refused, Is.EqualTo(ExitCodes.Unreachable), message);

        // The live view, refreshed twice and stopped: it shows the table, and a key it cannot use as a
        // message in the view (it keeps refreshing rather than exiting).
        var (liveCode, live) = await RunAsync(service, "status", "--count", "2", "--interval", "0.2");
        Assert.That(liveCode, Is.EqualTo(ExitCodes.Ok), live);
        Assert.That(live, Does.Contain("events/s").And.Contain("partitions (waiting)"), live);
        var (refusedLiveCode, refusedLive) = await RunAsync(service, new Dictionary<string, string?> { ["ORIAN_API_KEY"] = "not-a-key" }, "status", "--count", "1");
        Assert.That(refusedLiveCode, Is.EqualTo(ExitCodes.Ok), refusedLive);
        Assert.That(refusedLive, Does.Contain("401"), refusedLive);
    }

    [Test]
    public async Task WhatJsonPrintsIsTheServicesOwnAnswerMemberForMember()
    {
        // The CLI reads each answer into the API's own type and prints that type: nothing the service
        // says is dropped or renamed on the way (compared as the shared context writes both).
        await using var service = await TestService.StartSqliteAsync();
        Assert.That((await RunAsync(service, "replay", Folder("02-clearing-above-authorisation"))).Code, Is.EqualTo(ExitCodes.Ok));
        using var http = new HttpClient { BaseAddress = service.Address };
        http.DefaultRequestHeaders.Add("X-Api-Key", service.OperatorKey);

        async Task Same<T>(JsonTypeInfo<T> type, string path, params string[] args)
            where T : class
        {
            var (code, printed) = await RunAsync(service, [.. args, "--json"]);
            Assert.That(code, Is.EqualTo(ExitCodes.Ok), printed);
            var fromCli = JsonSerializer.Deserialize(printed, (JsonTypeInfo<T>)OrianApiJson.Reading.GetTypeInfo(typeof(T)));
            var fromService = JsonSerializer.Deserialize(await http.GetStringAsync(path), (JsonTypeInfo<T>)OrianApiJson.Reading.GetTypeInfo(typeof(T)));
            Assert.That(JsonSerializer.Serialize(fromCli!, type), Is.EqualTo(JsonSerializer.Serialize(fromService!, type)), path);
        }

        await Same(OrianApiJsonContext.Default.AccountResponse, "v1/accounts/SMP-02", "account", "SMP-02");
        await Same(OrianApiJsonContext.Default.TransactionResponse, "v1/transactions/S02-MEAL", "txn", "S02-MEAL");
        await Same(OrianApiJsonContext.Default.DeliveryListResponse, "v1/deliveries?limit=100", "deliveries");
        await Same(OrianApiJsonContext.Default.DeliveryStatsResponse, "v1/deliveries/stats", "deliveries", "--stats");
        await Same(OrianApiJsonContext.Default.AuditPageResponse, "v1/audit?after=0&limit=100", "audit");
    }

    [Test]
    public async Task AnAnswerOfAnotherShapeIsAnErrorAndNotABlankInATable()
    {
        // A service that is not the CLI's version, on Kestrel at 127.0.0.1: a member the API type requires
        // is missing, or null where the type does not allow it, a string for a number, invalid UTF-8,
        // nesting deeper than the reader allows; then a 503 and a 400.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        const string balances = "\"exponent\": 2, \"posted\": 100, \"held\": 0, \"available\": 100, \"overdrawn\": false, " +
            "\"created_at\": \"2026-12-01T00:00:00Z\", \"updated_at\": \"2026-12-01T00:00:00Z\"";
        app.MapGet("/v1/accounts/MISSING", () => Results.Text("{\"account_no\": \"MISSING\", \"posted\": 100}", "application/json"));
        app.MapGet("/v1/accounts/NULL", () => Results.Text($"{{\"account_no\": \"NULL\", \"currency\": null, {balances}}}", "application/json"));
        app.MapGet("/v1/accounts/STRING", () => Results.Text($"{{\"account_no\": \"STRING\", \"currency\": \"GBP\", {balances.Replace("100,", "\"100\",")}}}", "application/json"));
        app.MapGet("/v1/accounts/NEWER", () => Results.Text($"{{\"account_no\": \"NEWER\", \"currency\": \"GBP\", {balances}, \"added_later\": 1}}", "application/json"));
        app.MapGet("/v1/accounts/BYTES", () => Results.Bytes([.. "{\"account_no\": \"B"u8, 0xFF, 0xC3, .. "\"}"u8], "application/json"));
        app.MapGet("/v1/accounts/DEEP", () => Results.Text($"{{\"account_no\": \"DEEP\", \"currency\": \"GBP\", {balances}, \"later\": {new string('[', 200)}{new string(']', 200)}}}", "application/json"));
        app.MapGet("/v1/accounts/BUSY", () => Results.Problem(detail: "busy", statusCode: 503));
        app.MapGet("/v1/accounts/BAD", () => Results.Problem(detail: "no such thing as that", statusCode: 400));
        await app.StartAsync();
        var target = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        foreach (var account in new[] { "MISSING", "NULL", "STRING", "BYTES", "DEEP" }) // the last two: invalid UTF-8, nesting past the reader's depth
        {
            var (code, output) = await RunAsync(target, null, null, "account", account);
            Assert.That(code, Is.EqualTo(ExitCodes.Unreachable), output);
            Assert.That(output, Does.Contain("not one this CLI reads").And.Not.Contain("│"), output); // no table drawn from a half-read answer
        }

        var (newerCode, newer) = await RunAsync(target, null, null, "account", "NEWER");
        Assert.That(newerCode, Is.EqualTo(ExitCodes.Ok), "a member the CLI does not know is no reason to refuse an answer");
        Assert.That(newer, Does.Match(@"posted\s*│\s*100\s*│\s*1\.00"), newer);
        var (busyCode, busy) = await RunAsync(target, null, null, "account", "BUSY");
        Assert.That(busyCode, Is.EqualTo(ExitCodes.Unreachable), "a 5xx: the service, not the input");
        Assert.That(busy, Does.Contain("503: busy"), busy);
        var (badCode, bad) = await RunAsync(target, null, null, "account", "BAD");
        Assert.That(badCode, Is.EqualTo(ExitCodes.InvalidInput), bad);
        Assert.That(bad, Does.Contain("400: no such thing as that"), bad);
    }
}
