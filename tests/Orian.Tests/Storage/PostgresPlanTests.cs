using System.Text.RegularExpressions;
using Dapper;
using Orian.Storage;
using Orian.Storage.Postgres;
using Orian.Storage.Sql;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// A ledger batch's statements are planned once per connection (generic plans), so the plan made
/// while the tables are empty is the plan they keep: on an empty ledger, under the batch's own
/// planner settings, every one of them must already read by key (no sequential scan, no hash or
/// merge join). Each statement is prepared with its parameters as <c>$n</c> and its generic plan read
/// with <c>EXPLAIN EXECUTE</c>.
/// </summary>
public sealed partial class PostgresPlanTests : ProviderFixture<Postgres>
{
    public static IEnumerable<TestCaseData> Statements()
    {
        foreach (var statement in (PostgresUnitOfWork.LockSql + PostgresUnitOfWork.AuthorisationReadSql + PostgresUnitOfWork.FanOutReadSql)
                     .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return new TestCaseData(statement).SetName($"lock: {statement[..Math.Min(60, statement.Length)]}");
        }

        yield return Write(LedgerWrites.TransactionVersions);
        yield return Write(LedgerWrites.AccountBalances);
        yield return Write(LedgerWrites.Revocations);
        yield return Write(LedgerWrites.NewTransactions);
        yield return Write(LedgerWrites.Outbox);
        yield return Write(LedgerWrites.Deliveries);
        yield return Write(LedgerWrites.Links);
    }

    private static TestCaseData Write<TRow>(TableWrite<TRow> write) => new TestCaseData(PostgresSql.Statement(write)).SetName($"write: {write.What}");

    [TestCaseSource(nameof(Statements))]
    public async Task OnAnEmptyLedgerItsGenericPlanReadsByKey(string statement)
    {
        var database = await CreateDatabaseAsync("plans");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        // Parameters in order of first use, each typed by its cast (@x::type[]) or as the batch sends it.
        var names = ParameterName().Matches(statement).Select(m => m.Groups[1].Value).Distinct().ToList();
        var types = names.Select(n => Regex.Match(statement, $@"@{n}::([a-z ]+\[\])") is { Success: true } cast ? cast.Groups[1].Value
            : n switch { "ids" or "accounts" => "text[]", "day" or "at" => "timestamptz", _ => throw new InvalidOperationException($"type of @{n}?") }).ToList();
        var numbered = ParameterName().Replace(statement, m => "$" + (names.IndexOf(m.Groups[1].Value) + 1));
        var arguments = string.Join(", ", types.Select(t => t.EndsWith("[]", StringComparison.Ordinal) ? $"'{{}}'::{t}" : $"now()::{t}"));

        await using var connection = await database.ConnectAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(PostgresUnitOfWork.PlanSettings, transaction: transaction);
        var (declared, passed) = types.Count == 0 ? ("", "") : ($"({string.Join(", ", types)})", $"({arguments})");
        await connection.ExecuteAsync($"PREPARE s{declared} AS {numbered}", transaction: transaction);
        var plan = string.Join("\n", await connection.QueryAsync<string>($"EXPLAIN EXECUTE s{passed}", transaction: transaction));

        // The one whole read: the enabled endpoints, a handful of rows (an index would cost every
        // endpoint write to save nothing).
        var scans = plan.Replace("Seq Scan on webhook_endpoints", "", StringComparison.Ordinal);
        Assert.That(scans, Does.Not.Contain("Seq Scan on").And.Not.Contain("Hash Join").And.Not.Contain("Merge Join"), plan);
    }

    /// <summary>A scan the settings keep the planner from is costed past the JIT's thresholds; run, it
    /// is compiled (about 200 ms on this box, at every run). The batch's settings turn the JIT off.</summary>
    [Test]
    public async Task TheBatchsSettingsKeepTheJitFromCompilingItsWholeRead()
    {
        var database = await CreateDatabaseAsync("plans");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        await using var connection = await database.ConnectAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var endpoints = PostgresUnitOfWork.FanOutReadSql.Split(';')[0].Trim();
        await connection.ExecuteAsync(PostgresUnitOfWork.PlanSettings.Replace("SET LOCAL jit = off;", "SET LOCAL jit = on;", StringComparison.Ordinal), transaction: transaction);
        var without = string.Join("\n", await connection.QueryAsync<string>($"EXPLAIN (ANALYZE) {endpoints}", transaction: transaction));
        Assert.That(without, Does.Contain("JIT:"), "with the JIT on, the disabled scan is compiled (what the setting prevents)");
        await connection.ExecuteAsync(PostgresUnitOfWork.PlanSettings, transaction: transaction);
        var with = string.Join("\n", await connection.QueryAsync<string>($"EXPLAIN (ANALYZE) {endpoints}", transaction: transaction));
        Assert.That(with, Does.Not.Contain("JIT:"), with);
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
