using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Orian.Storage;
using Orian.Storage.SqlServer;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// No SQL Server runs on our build machines, so the T-SQL is at least parsed by SQL Server's own
/// parser (ScriptDom, SQL Server 2022's grammar): every schema script, and inside it every string an
/// <c>EXEC</c> runs (compiled only when it runs); every statement the SQL Server provider keeps as a
/// constant or builds from its dialect once (its batch writes, the dialect's own), and every constant
/// of the features the three providers share, with the feature classes built over SQL Server's dialect.
/// Statements written inline at their call sites are not reached here yet. Parsing proves syntax, not names or types: the schema and the statements are still
/// unverified against a server.
/// </summary>
public sealed class TransactSqlParseTests
{
    private static readonly SqlServerDialect Dialect = new();

    /// <summary>The errors of <paramref name="sql"/> and of every string it passes to <c>EXEC</c>.</summary>
    internal static List<string> Errors(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        var found = errors.Select(e => $"line {e.Line}: {e.Message}").ToList();
        var executed = new ExecutedStrings();
        fragment?.Accept(executed);
        foreach (var inner in executed.Strings)
        {
            found.AddRange(Errors(inner).Select(e => $"in EXEC ('{inner[..Math.Min(inner.Length, 60)]}...'): {e}"));
        }

        return found;
    }

    private sealed class ExecutedStrings : TSqlFragmentVisitor
    {
        public List<string> Strings { get; } = [];

        public override void Visit(ExecutableStringList node) =>
            Strings.Add(string.Concat(node.Strings.OfType<StringLiteral>().Select(s => s.Value)));
    }

    private static IEnumerable<TestCaseData> Scripts() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "sql", "sqlserver"), "*.sql").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName($"script {Path.GetFileName(path)}"));

    [TestCaseSource(nameof(Scripts))]
    public void EverySchemaScriptParses(string path) => Assert.That(Errors(File.ReadAllText(path)), Is.Empty);

    /// <summary>Every string constant and string property of the provider's statement classes.</summary>
    private static IEnumerable<TestCaseData> Statements()
    {
        // The provider's own statements, and every constant of the features shared by all three
        // providers (namespace Orian.Storage); the feature classes built over a dialect, over SQL Server's.
        var shared = typeof(SqlServerSql).Assembly.GetTypes()
            .Where(t => t.Namespace is "Orian.Storage" or "Orian.Storage.SqlServer" && !t.IsGenericTypeDefinition)
            .Select(t => (t.Name, (object?)null, t));
        var built = new (string Name, object? Instance, Type Type)[]
        {
            ("AuthorisationSql", new AuthorisationSql(Dialect), typeof(AuthorisationSql)),
            ("OutboxSql", new OutboxSql(Dialect), typeof(OutboxSql)),
            ("LinkUpdates", new LinkUpdates(Dialect), typeof(LinkUpdates)),
        };
        var sources = shared.Concat(built).ToList();
        const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        foreach (var (name, instance, type) in sources)
        {
            foreach (var field in type.GetFields(Members).Where(f => f.FieldType == typeof(string) && (f.IsStatic || instance is not null)))
            {
                if (field.GetValue(field.IsStatic ? null : instance) is string sql && LooksLikeAStatement(sql))
                {
                    yield return new TestCaseData(sql).SetName($"{name}.{field.Name.Trim('<', '>').Replace(">k__BackingField", "", StringComparison.Ordinal)}");
                }
            }
        }

        yield return new TestCaseData(Dialect.ConfirmDecisions).SetName("SqlServerDialect.ConfirmDecisions");
        yield return new TestCaseData(Dialect.CreateMigrationTable).SetName("SqlServerDialect.CreateMigrationTable");
        yield return new TestCaseData(Dialect.HasChecksumColumn).SetName("SqlServerDialect.HasChecksumColumn");
        yield return new TestCaseData(Dialect.AddChecksumColumn).SetName("SqlServerDialect.AddChecksumColumn");
        yield return new TestCaseData(Dialect.InsertIfAbsent("t", [("a", "@A"), ("b", "@B")], "a")).SetName("SqlServerDialect.InsertIfAbsent");
        yield return new TestCaseData(Dialect.Upsert("t", [("a", "@A"), ("b", "@B"), ("c", "@C")], ["a"], ["b", "c"])).SetName("SqlServerDialect.Upsert");
        yield return new TestCaseData($"SELECT a FROM t WHERE {Dialect.In("a", "@list")} ORDER BY a {Dialect.Page("@limit")}").SetName("SqlServerDialect.In and Page");
        yield return new TestCaseData($"SELECT count(*) FROM accounts WHERE {Dialect.Overdrawn}").SetName("SqlServerDialect.Overdrawn");
    }

    private static bool LooksLikeAStatement(string sql)
    {
        var first = sql.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
        return first is "SELECT" or "INSERT" or "UPDATE" or "DELETE" or "WITH" or "MERGE" or "IF" or "DECLARE" or "EXEC" or "SET";
    }

    [TestCaseSource(nameof(Statements))]
    public void EveryStatementTheProviderKeepsParses(string sql) => Assert.That(Errors(sql), Is.Empty, sql);

    [Test]
    public void TheParserFindsABrokenStatementAndABrokenExecString()
    {
        Assert.That(Errors("UPDATE x SET a = 1 OUTPUT inserted.a FROM t x WHERE"), Is.Not.Empty);
        Assert.That(Errors("EXEC ('CREATE INDEX ix ON t (a) WHERE')"), Has.Count.EqualTo(1).And.Some.StartsWith("in EXEC"));
        Assert.That(Errors("EXEC ('CREATE INDEX ix ON t (a) WHERE b IS NULL')"), Is.Empty);
    }
}
