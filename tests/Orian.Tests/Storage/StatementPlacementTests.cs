using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>
/// What keeps <see cref="TransactSqlParseTests"/> complete: SQL Server runs every statement of the
/// shared feature folders and of its own provider, and the parse test reaches a statement only where it
/// is a field or a property (it reads them by reflection, the feature classes built over SQL Server's
/// dialect). So no SQL is written inside a method there, except in the few builders whose every shape
/// the parse test calls itself (<see cref="Builders"/>), and no dialect builder is called inside one either. PostgreSQL's and SQLite's folders are their
/// own servers' SQL, run by the suites against them, and not read here.
/// </summary>
public sealed class StatementPlacementTests
{
    /// <summary>Methods that build statements from their arguments (file name, method name): each is
    /// called by the parse tests in the shapes it takes (the dialect's and the outbox's builders in
    /// <see cref="TransactSqlParseTests"/>, the batch's in <c>SqlServerShapingTests</c>), or is the other
    /// servers' form that SQL Server's dialect overrides.</summary>
    private static readonly HashSet<(string File, string Method)> Builders =
    [
        ("SqlServerDialect.cs", "TransactionLock"),
        ("SqlServerDialect.cs", "InsertIfAbsent"),
        ("SqlServerDialect.cs", "Upsert"),
        ("SqlDialect.cs", "InsertIfAbsent"),
        ("SqlDialect.cs", "Upsert"),
        ("OutboxSql.cs", "InsertAttempts"),
        ("SqlServerSql.cs", "Render"),
        ("SqlServerUnitOfWork.cs", "Write"),
    ];

    /// <summary>The dialect's statement builders: called inside a method, their statement escapes the
    /// parse test as a literal would.</summary>
    private static readonly string[] DialectBuilders = ["InsertIfAbsent", "Upsert", "TransactionLock"];

    private static readonly string[] Keywords = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH", "EXEC", "DECLARE", "IF", "SET", "CREATE", "ALTER", "DROP"];

    /// <summary>Whether a piece of a string reads as the start of a statement: a keyword in capitals,
    /// then a space or a line break (so prose and names do not count).</summary>
    internal static bool StartsAStatement(string text)
    {
        var trimmed = text.TrimStart();
        return Keywords.Any(k => trimmed.StartsWith(k, StringComparison.Ordinal) && trimmed.Length > k.Length && (trimmed[k.Length] is ' ' or '\n' or '\r'));
    }

    private static IEnumerable<string> SharedSources()
    {
        var root = Path.Combine(Repository.Root, "src", "Orian.Storage");
        return Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path =>
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                return !relative.StartsWith("Postgres/", StringComparison.Ordinal) && !relative.StartsWith("Sqlite/", StringComparison.Ordinal)
                    && !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal);
    }

    /// <summary>Each statement-like string literal inside a method, constructor, accessor with a body,
    /// local function or lambda, outside <see cref="Builders"/>: "file:line method".</summary>
    internal static List<string> StatementsInsideMethods(string path, string source)
    {
        var found = new List<string>();
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var file = Path.GetFileName(path);
        foreach (var node in root.DescendantNodes())
        {
            var text = node switch
            {
                LiteralExpressionSyntax l when l.IsKind(SyntaxKind.StringLiteralExpression) => l.Token.ValueText,
                InterpolatedStringExpressionSyntax i => string.Concat(i.Contents.Select(c => c is InterpolatedStringTextSyntax t ? t.TextToken.ValueText : "?")),
                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } when DialectBuilders.Contains(m.Name.Identifier.ValueText) => node.ToString(),
                _ => null,
            };
            if (text is null || (node is not InvocationExpressionSyntax && !StartsAStatement(text)) || node.Parent is InterpolationSyntax)
            {
                continue;
            }

            var body = node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax
                or AccessorDeclarationSyntax { Body: not null });
            if (body is null)
            {
                continue; // a field, a property's initialiser or expression body, a constant
            }

            var method = node.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText
                ?? node.Ancestors().OfType<ConstructorDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText ?? body.Kind().ToString();
            if (!Builders.Contains((file, method)))
            {
                var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                found.Add($"{file}:{line} {method}: {text.Trim()[..Math.Min(text.Trim().Length, 50)]}");
            }
        }

        return found;
    }

    [Test]
    public void NoStatementIsWrittenInsideAMethodOfTheSharedFoldersOrSqlServers()
    {
        var found = SharedSources().SelectMany(path => StatementsInsideMethods(path, File.ReadAllText(path))).ToList();
        Assert.That(found, Is.Empty, string.Join('\n', found));
    }

    [Test]
    public void TheCheckFindsAStatementOrADialectBuilderInAMethodAndPassesOneInAField()
    {
        const string Source = """
            class A
            {
                private const string Kept = "SELECT 1 FROM t";
                private string Built => $"UPDATE t SET a = {1}";
                void M(System.Data.IDbConnection c) => Run("DELETE FROM t WHERE a = @a");
                void N() { var s = $"INSERT INTO t (a) VALUES ({2})"; }
                void O() { Run("Settle the deliveries"); }
                void P(Dialect d) { Run(d.Upsert("t", [], [], [])); }
                void Run(string s) { }
            }
            """;
        var found = StatementsInsideMethods("A.cs", Source);
        Assert.That(found, Has.Count.EqualTo(3));
        Assert.That(found[0], Does.StartWith("A.cs:5 M: DELETE FROM t"));
        Assert.That(found[1], Does.StartWith("A.cs:6 N: INSERT INTO t"));
        Assert.That(found[2], Does.StartWith("A.cs:8 P: d.Upsert("));
    }
}
