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
        foreach (var statement in (PostgresUnitOfWork.LockSql + PostgresUnitOfWork.AuthorisationReadSql).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return new TestCaseData(statement).SetName($"lock: {statement[..Math.Min(60, statement.Length)]}");
        }

        yield return Write(LedgerWrites.TransactionVersions);
        yield return Write(LedgerWrites.AccountBalances);
        yield return Write(LedgerWrites.Revocations);
        yield return Write(LedgerWrites.NewTransactions);
        yield return Write(LedgerWrites.Outbox);
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
        await connection.ExecuteAsync($"PREPARE s({string.Join(", ", types)}) AS {numbered}", transaction: transaction);
        var plan = string.Join("\n", await connection.QueryAsync<string>($"EXPLAIN EXECUTE s({arguments})", transaction: transaction));

        Assert.That(plan, Does.Not.Contain("Seq Scan on").And.Not.Contain("Hash Join").And.Not.Contain("Merge Join"), plan);
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
