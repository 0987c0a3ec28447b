using Npgsql;
using Orian.Storage.Postgres;
using Orian.Storage.Sql;

namespace Orian.Tests.Storage;

/// <summary>What operators are told about the host written to: one change per move, one loss per
/// outage however many connections fail, one reconnect when writes get through again; and which
/// PostgreSQL failures count as a lost connection (and clear the pool).</summary>
public sealed class WriterHostTests
{
    private sealed class Events
    {
        public List<string> Seen { get; } = [];

        public Events(WriterHost host)
        {
            host.Changed += (previous, current) => Seen.Add($"changed {previous ?? "-"} -> {current}");
            host.Disconnected += current => Seen.Add($"lost {current ?? "-"}");
            host.Reconnected += (current, _) => Seen.Add($"reconnected {current}");
        }
    }

    [Test]
    public void AFailoverIsOneLossOneChangeAndOneReconnect()
    {
        var host = new WriterHost();
        var events = new Events(host);
        host.Observe("db1", 5432);
        host.Observe("db1", 5432);
        host.Lost();
        host.Lost(); // every idle connection fails in turn: still one outage
        host.Observe("db2", 5432);
        host.Observe("db2", 5432);
        Assert.That(events.Seen, Is.EqualTo(new[] { "changed - -> db1:5432", "lost db1:5432", "changed db1:5432 -> db2:5432", "reconnected db2:5432" }));
        Assert.That(host.Current, Is.EqualTo("db2:5432"));
    }

    [Test]
    public void APrimaryThatComesBackIsAReconnectWithoutAChange()
    {
        var host = new WriterHost();
        host.Observe("db1", 5432);
        var since = host.Since;
        var events = new Events(host);
        host.Lost();
        host.Observe("db1", 5432);
        host.Lost();
        host.Observe("db1", 5432);
        Assert.That(events.Seen, Is.EqualTo(new[] { "lost db1:5432", "reconnected db1:5432", "lost db1:5432", "reconnected db1:5432" }));
        Assert.That(host.Since, Is.EqualTo(since), "the host did not change");
    }

    [TestCase("08006", true, TestName = "connection failure")]
    [TestCase("08001", true, TestName = "unable to connect")]
    [TestCase("57P01", true, TestName = "administrator shutdown")]
    [TestCase("57P02", true, TestName = "crash shutdown")]
    [TestCase("57P03", true, TestName = "cannot connect now")]
    [TestCase("25006", true, TestName = "read-only: a primary since demoted")]
    [TestCase("57014", false, TestName = "query cancelled")]
    [TestCase("40001", false, TestName = "serialization failure")]
    [TestCase("23505", false, TestName = "unique violation")]
    [TestCase("53300", false, TestName = "too many connections")]
    public void APostgresErrorIsALostConnectionOnlyWhenItSaysSo(string sqlState, bool lost)
    {
        var error = new PostgresException("injected", "ERROR", "ERROR", sqlState);
        Assert.That(PostgresDatabase.IsConnectionLoss(error), Is.EqualTo(lost));
        Assert.That(new PostgresDatabase("Host=127.0.0.1;Port=1;Username=x").IsTransient(error), Is.EqualTo(lost || sqlState is "40001" or "23505" or "53300" or "57014"),
            "every lost connection is transient; the others as classified before");
    }

    [Test]
    public void NpgsqlsOwnFailuresAreALostConnectionExceptATimeout()
    {
        Assert.That(PostgresDatabase.IsConnectionLoss(new NpgsqlException("broken", new IOException("reset"))), Is.True);
        Assert.That(PostgresDatabase.IsConnectionLoss(new NpgsqlException("refused", new System.Net.Sockets.SocketException(111))), Is.True);
        Assert.That(PostgresDatabase.IsConnectionLoss(new NpgsqlException("slow", new TimeoutException())), Is.False, "a command timeout is not a lost connection");
        Assert.That(PostgresDatabase.IsConnectionLoss(new InvalidOperationException()), Is.False);
    }

    [Test]
    public void ClassifyingALostConnectionTellsTheWriterHost()
    {
        var database = new PostgresDatabase("Host=127.0.0.1;Port=1;Username=x");
        database.Writer.Observe("db1", 5432);
        var events = new Events(database.Writer);
        Assert.That(database.IsTransient(new PostgresException("gone", "FATAL", "FATAL", "57P01")), Is.True);
        Assert.That(database.IsTransient(new PostgresException("raced", "ERROR", "ERROR", "40001")), Is.True);
        Assert.That(events.Seen, Is.EqualTo(new[] { "lost db1:5432" }));
    }
}
