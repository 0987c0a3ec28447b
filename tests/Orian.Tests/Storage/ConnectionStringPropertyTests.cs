using FsCheck;
using FsCheck.Fluent;
using Orian.Storage;

namespace Orian.Tests.Storage;

/// <summary>
/// A connection string is configuration an operator types, checked by every provider at start-up
/// (<c>ISqlProvider.ConnectionStringProblem</c>). Whatever it holds (unpaired surrogates, NUL, quotes and
/// separators in values, int64 limits and worse in numeric settings, unknown keywords, a value of a
/// megabyte), the check answers "fine" or a reason: it never throws, which would stop start-up with a
/// stack trace instead of the setting's name, and its reason never repeats the password.
/// </summary>
public sealed class ConnectionStringPropertyTests
{
    private const string Password = "pw-9f3e1c";

    private static readonly string[] Keywords =
    [
        "Host", "Port", "Database", "Username", "Timeout", "Maximum Pool Size", "Target Session Attributes", "Max Auto Prepare", "Options",
        "Data Source", "Mode", "Cache", "Server", "Encrypt", "Connect Timeout", "Colour", "", " ", "Password\u0000", "\ud800",
    ];

    private static readonly string[] Values =
    [
        "127.0.0.1", "a,b,c", "5432", "0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e400", "primary",
        "prefer-standby", "nonsense", "true", "\u0000", "x\u0000y", "\ud800", "\udfff", "\"quoted; value\"", "'single'", "a=b", "=;=;",
        "\u202e", "é", new string('a', 1_000_000), "",
    ];

    private static readonly Gen<string> ConnectionStrings =
        from parts in Gen.ListOf(from k in Gen.Elements(Keywords) from v in Gen.Elements(Values) select $"{k}={v}").Select(l => l.Take(8))
        from withPassword in Gen.Elements(true, false)
        from separator in Gen.Elements(";", ";;", " ; ", ",")
        select string.Join(separator, withPassword ? parts.Append($"Password={Password}") : parts);

    [Test]
    public void EveryProviderAnswersAnyConnectionStringWithoutThrowingOrRepeatingThePassword()
    {
        var providers = StorageServices.Providers.Values.ToList();
        Assert.That(providers, Has.Count.EqualTo(3));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), Prop.ForAll(ConnectionStrings.ToArbitrary(), text =>
        {
            foreach (var provider in providers)
            {
                var problem = provider.ConnectionStringProblem(text);
                if (problem is not null && problem.Contains(Password, StringComparison.Ordinal))
                {
                    throw new AssertionException($"{provider.Name} repeated the password: {problem}");
                }
            }
        }));
    }

    [Test]
    public void TheCheckTellsGoodFromBad()
    {
        // So that the property above is not passed by a check that accepts everything or nothing.
        var postgres = StorageServices.Find("postgres");
        Assert.That(postgres.ConnectionStringProblem($"Host=a,b;Username=orian;Password={Password};Target Session Attributes=primary"), Is.Null);
        Assert.That(postgres.ConnectionStringProblem("Host=a;Port=9223372036854775808"), Is.Not.Null);
        Assert.That(StorageServices.Find("sqlite").ConnectionStringProblem("Data Source=x.db"), Is.Null);
        Assert.That(StorageServices.Find("sqlserver").ConnectionStringProblem("Server=db;Colour=blue"), Is.Not.Null);
    }
}
