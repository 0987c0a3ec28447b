using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Orian.Storage;
using Orian.Storage.Sql;
using Orian.Storage.SqlServer;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// No SQL Server runs on our build machines, so the T-SQL is at least parsed by SQL Server's own
/// parser (ScriptDom, SQL Server 2022's grammar): every schema script, and inside it every string an
/// <c>EXEC</c> runs (compiled only when it runs); every statement the SQL Server provider keeps as a
/// field or property (its batch writes, the dialect's own), and every statement of the features the
/// three providers share, the feature classes built over a SQL Server database that is never opened.
/// No statement is written inside a method there (<see cref="StatementPlacementTests"/>), so this
/// reaches all of them. Parsing proves syntax, not names or types: the schema and the statements are
/// still unverified against a server.
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

    /// <summary>Never opened: the feature classes are built over it only to read their statements.</summary>
    private static readonly SqlServerDatabase Database = new("Server=127.0.0.1;Database=orian_parse_only");

    /// <summary>Every string field and string property, static or not, of every class SQL Server runs
    /// (the shared feature folders, the shared SQL helpers and its own provider), each class built over
    /// the SQL Server database above where it has instance statements; a class holding instance strings
    /// that cannot be built that way is a failing case. <see cref="StatementPlacementTests"/> keeps every
    /// statement in such a member, so this reaches them all.</summary>
    private static IEnumerable<TestCaseData> Statements()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, sql) in Members().Concat(Builders()))
        {
            if (sql is null || LooksLikeAStatement(sql))
            {
                if (seen.Add(name))
                {
                    yield return new TestCaseData(sql).SetName(name);
                }
            }
        }
    }

    /// <summary>Name and value of every statement-holding member; a null value marks a class that could not be built.</summary>
    private static IEnumerable<(string Name, string? Sql)> Members()
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var types = typeof(SqlServerSql).Assembly.GetTypes()
            .Where(t => t.Namespace is "Orian.Storage" or "Orian.Storage.Sql" or "Orian.Storage.SqlServer" && t.IsClass && !t.ContainsGenericParameters
                && !t.Name.Contains('<', StringComparison.Ordinal))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            // A feature class (built over a database or a dialect) must be built; a data type (a row, a
            // record) is read where it can be, its strings being values, not statements.
            var feature = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(SqlDatabase) || p.ParameterType == typeof(SqlDialect)));
            object? instance = null;
            if (type.GetFields(Declared | BindingFlags.Instance).Any(f => f.FieldType == typeof(string))
                || type.GetProperties(Declared | BindingFlags.Instance).Any(p => p.PropertyType == typeof(string)))
            {
                instance = Build(type);
                if (instance is null && feature)
                {
                    yield return ($"{type.Name} (could not be built over SQL Server's database to read its statements)", null);
                    continue;
                }
            }

            foreach (var field in type.GetFields(Declared | BindingFlags.Static | BindingFlags.Instance).Where(f => f.FieldType == typeof(string)))
            {
                if (field.IsStatic || instance is not null)
                {
                    yield return ($"{type.Name}.{Clean(field.Name)}", (string?)field.GetValue(field.IsStatic ? null : instance) ?? "");
                }
            }

            foreach (var property in type.GetProperties(Declared | BindingFlags.Static | BindingFlags.Instance)
                .Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0 && p.GetMethod is not null))
            {
                var isStatic = property.GetMethod!.IsStatic;
                if (isStatic || instance is not null)
                {
                    string? value;
                    try
                    {
                        value = (string?)property.GetValue(isStatic ? null : instance);
                    }
                    catch (TargetInvocationException)
                    {
                        continue; // a property that needs a live object (a connection, a row) holds no statement
                    }

                    yield return ($"{type.Name}.{property.Name}", value ?? "");
                }
            }
        }
    }

    /// <summary>An instance of <paramref name="type"/> from a constructor whose every parameter is SQL
    /// Server's database, its dialect, a schema migrator over it or a reference left null; null when none fits.</summary>
    private static object? Build(Type type)
    {
        if (type.IsAbstract)
        {
            return null;
        }

        foreach (var constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length))
        {
            var parameters = constructor.GetParameters();
            if (parameters.Any(p => p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null))
            {
                continue;
            }

            var arguments = parameters.Select(p => p.ParameterType switch
            {
                var t when t.IsAssignableFrom(typeof(SqlServerDatabase)) && t != typeof(object) => Database,
                var t when t == typeof(SqlDialect) => Dialect,
                var t when t == typeof(SchemaMigrator) => new SchemaMigrator(Database),
                _ => (object?)null,
            }).ToArray();
            try
            {
                return constructor.Invoke(arguments);
            }
            catch (TargetInvocationException)
            {
                // try the next constructor
            }
        }

        return null;
    }

    private static string Clean(string fieldName) =>
        fieldName.Trim('<', '>').Replace(">k__BackingField", "", StringComparison.Ordinal);

    /// <summary>The statements built from arguments (<see cref="StatementPlacementTests"/> lists them), in every shape they take here.</summary>
    private static IEnumerable<(string Name, string? Sql)> Builders()
    {
        yield return ("SqlServerDialect.TransactionLock", Dialect.TransactionLock("orian-links"));
        yield return ("SqlServerDialect.InsertIfAbsent", Dialect.InsertIfAbsent("t", [("a", "@A"), ("b", "@B")], "a"));
        yield return ("SqlServerDialect.InsertIfAbsent with a two-column key", Dialect.InsertIfAbsent("t", [("a", "@A"), ("b", "@B"), ("c", "@C")], "a", "b"));
        yield return ("SqlServerDialect.Upsert", Dialect.Upsert("t", [("a", "@A"), ("b", "@B"), ("c", "@C")], ["a"], ["b", "c"]));
        yield return ("SqlServerDialect.In and Page", $"SELECT a FROM t WHERE {Dialect.In("a", "@list")} ORDER BY a {Dialect.Page("@limit")}");
        yield return ("SqlServerDialect.Overdrawn", $"SELECT count(*) FROM accounts WHERE {Dialect.Overdrawn}");
        yield return ("OutboxSql.InsertAttempts, one row", OutboxSql.InsertAttempts(1));
        yield return ("OutboxSql.InsertAttempts, the most rows", OutboxSql.InsertAttempts(OutboxQueue.AttemptsPerInsert));
    }

    /// <summary>A statement, not a fragment: a table hint (<c>WITH (UPDLOCK, ...)</c>) or a column list is not parsed alone.</summary>
    private static bool LooksLikeAStatement(string sql)
    {
        var parts = sql.TrimStart().Split([' ', '\n', '\r'], 2);
        var first = parts[0].ToUpperInvariant();
        if (first == "WITH")
        {
            return parts.Length > 1 && !parts[1].TrimStart().StartsWith('(');
        }

        return first is "SELECT" or "INSERT" or "UPDATE" or "DELETE" or "MERGE" or "IF" or "DECLARE" or "EXEC" or "SET" or "CREATE" or "ALTER" or "DROP";
    }

    [TestCaseSource(nameof(Statements))]
    public void EveryStatementSqlServerRunsParses(string? sql)
    {
        Assert.That(sql, Is.Not.Null, "the class holds statements in instance fields but could not be built to read them");
        Assert.That(Errors(sql!), Is.Empty, sql);
    }

    [Test]
    public void TheParserFindsABrokenStatementAndABrokenExecString()
    {
        Assert.That(Errors("UPDATE x SET a = 1 OUTPUT inserted.a FROM t x WHERE"), Is.Not.Empty);
        Assert.That(Errors("EXEC ('CREATE INDEX ix ON t (a) WHERE')"), Has.Count.EqualTo(1).And.Some.StartsWith("in EXEC"));
        Assert.That(Errors("EXEC ('CREATE INDEX ix ON t (a) WHERE b IS NULL')"), Is.Empty);
    }
}
