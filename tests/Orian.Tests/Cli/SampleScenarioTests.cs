using System.Text.Json;
using Orian.Cli.Replay;
using Orian.Tests.Support;

namespace Orian.Tests.Cli;

/// <summary>
/// Every scenario in <c>samples/scenarios</c> replayed through the running service on PostgreSQL,
/// with the same code as <c>orian replay</c>, and checked against its <c>*.expected.json</c>: each
/// event's outcome, the decisions, the final balances and the transactions. The samples cannot rot.
/// </summary>
[TestFixture]
public sealed class SampleScenarioTests
{
    private TestService _service = null!;

    public static IEnumerable<TestCaseData> Scenarios() =>
        Directory.EnumerateFiles(Repository.Samples).Where(EventSource.IsEventFile).Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetName($"Sample {Path.GetFileNameWithoutExtension(f)}"));

    [OneTimeSetUp]
    public async Task StartAsync() => _service = await TestService.StartPostgresAsync("samples");

    [OneTimeTearDown]
    public async Task StopAsync() => await _service.DisposeAsync();

    [Test]
    public void EveryScenarioHasAnExpectedFile()
    {
        var scenarios = Scenarios().Select(c => (string)c.Arguments[0]!).ToList();
        Assert.That(scenarios, Has.Count.GreaterThanOrEqualTo(16));
        foreach (var file in scenarios)
        {
            Assert.That(File.Exists(ExpectedFileOf(file)), Is.True, file);
        }
    }

    [TestCaseSource(nameof(Scenarios))]
    public async Task ReplaysAsExpected(string file)
    {
        var (events, errors) = EventSource.Read([Path.Combine(Repository.Samples, file)]);
        Assert.That(errors, Is.Empty);
        using var expectedDocument = JsonDocument.Parse(await File.ReadAllTextAsync(ExpectedFileOf(file)));
        var expected = expectedDocument.RootElement;

        // In file order, one at a time: the outcomes are then exactly those of the expected file.
        var report = await new ReplayRunner(_service.Pps, TimeProvider.System).RunAsync(events, new ReplayOptions(Concurrency: 1), null, CancellationToken.None);

        var outcomes = report.Results.Select(r => $"{r!.Event.Id} v{r.Event.Version}: {r.Outcome}{(r.Reason is null ? "" : " " + r.Reason)}");
        var expectedOutcomes = expected.GetProperty("events").EnumerateArray()
            .Select(e => $"{e.GetProperty("id").GetString()} v{e.GetProperty("version").GetInt64()}: {e.GetProperty("outcome").GetString()}");
        Assert.That(outcomes, Is.EqualTo(expectedOutcomes));

        foreach (var decision in expected.GetProperty("decisions").EnumerateArray())
        {
            var result = report.Sent.Single(r => r.Event.Id == decision.GetProperty("id").GetString() && r.Event.Version == decision.GetProperty("version").GetInt64());
            Assert.That((result.Decision, result.DecisionDetail), Is.EqualTo((decision.GetProperty("result").GetString(), decision.GetProperty("detail").GetString())),
                $"decision on {result.Event.Id}");
        }

        foreach (var account in expected.GetProperty("accounts").EnumerateObject())
        {
            var actual = await _service.GetJsonOrNullAsync($"/v1/accounts/{account.Name}");
            Assert.That(actual, Is.Not.Null, account.Name);
            foreach (var field in new[] { "posted", "held", "available" })
            {
                Assert.That(actual!.Value.GetProperty(field).GetInt64(), Is.EqualTo(account.Value.GetProperty(field).GetInt64()), $"{account.Name} {field}");
            }

            Assert.That(actual!.Value.GetProperty("currency").GetString(), Is.EqualTo(account.Value.GetProperty("currency").GetString()));
        }

        foreach (var transaction in expected.GetProperty("transactions").EnumerateObject())
        {
            var actual = (await _service.GetJsonOrNullAsync($"/v1/transactions/{transaction.Name}"))!.Value;
            Assert.That(actual.GetProperty("version").GetInt64(), Is.EqualTo(transaction.Value.GetProperty("version").GetInt64()), transaction.Name);
            Assert.That(actual.GetProperty("txn_lifecycle_status").GetString(), Is.EqualTo(transaction.Value.GetProperty("status").GetString()), transaction.Name);
            Assert.That(actual.GetProperty("flags").EnumerateArray().Select(f => f.GetString()),
                Is.EquivalentTo(transaction.Value.GetProperty("flags").EnumerateArray().Select(f => f.GetString())), transaction.Name);
            if (transaction.Value.TryGetProperty("liability", out var liability))
            {
                Assert.That(actual.GetProperty("secure_auth").GetProperty("liability").GetString(), Is.EqualTo(liability.GetString()), $"{transaction.Name} 3DS liability");
            }
        }
    }

    private static string ExpectedFileOf(string file) =>
        Path.Combine(Repository.Samples, Path.GetFileNameWithoutExtension(file) + ".expected.json");
}
