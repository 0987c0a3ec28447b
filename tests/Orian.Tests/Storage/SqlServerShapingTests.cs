using System.Text.Json;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Outbox;
using Orian.Storage;
using Orian.Storage.SqlServer;

namespace Orian.Tests.Storage;

/// <summary>What the SQL Server provider sends, checked without a server: the batch's statements
/// and row-count checks, the JSON its OPENJSON reads, and which errors are worth a retry.</summary>
public sealed class SqlServerShapingTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 30, 0, 123, TimeSpan.Zero);

    private static TransactionState State(string id, long version) => new()
    {
        Id = id,
        Version = version,
        PayloadHash = [0x00, 0xAB, 0xFF],
        Status = "AUTHORISED",
        Result = "APPROVED",
        AccountNo = "ACC-1",
        Amount = new Money(999_999_999_999_999, "GBP", 2),
        Effect = LedgerEffect.Hold("ACC-1", new Money(999_999_999_999_999, "GBP", 2)),
        Flags = EventFlags.None,
    };

    [Test]
    public void ABatchIsOneCommandWithAStatementPerTableAndACheckPerConditionalWrite()
    {
        var changes = new LedgerChanges(At);
        changes.Transactions.Add(new TransactionWrite(State("NEW", 1), null, At));
        changes.Transactions.Add(new TransactionWrite(State("OLD", 3), 2, At));
        changes.Accounts.Add(new AccountWrite("ACC-1", "GBP", 2, 0, 100, false, At));
        changes.Versions.Add(new VersionRecord("NEW", 1, VersionOutcome.Applied, [1, 2], "k1", [3], EventFlags.None, "{}", At));
        changes.Outbox.Add(new OutboxEvent("evt_1", "transaction.updated", "NEW", 1, "ACC-1", "{}", At));
        changes.Outbox.Add(new OutboxEvent("evt_1", "transaction.updated", "NEW", 1, "ACC-1", "{}", At));

        var batch = SqlServerBatch.For(changes);

        Assert.That(batch.Text, Does.StartWith("SET XACT_ABORT ON;"));
        Assert.That(batch.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "@rows0", "@rows1", "@rows2", "@rows3", "@rows4" }));
        Assert.That(batch.Text, Does.Contain($"IF @@ROWCOUNT <> 1 THROW {SqlServerErrors.RowCountMismatch}, N'Expected to write 1 new transactions.', 1;"));
        Assert.That(batch.Text, Does.Contain("IF @@ROWCOUNT <> 1 THROW 51001, N'Expected to write 1 transaction versions.', 1;"));
        Assert.That(batch.Text, Does.Contain("IF @@ROWCOUNT <> 1 THROW 51001, N'Expected to write 1 account balances.', 1;"));
        Assert.That(batch.Text, Does.Contain("FROM OPENJSON(@rows0)").And.Contain("ON t.id = u.id COLLATE Latin1_General_100_BIN2 WHERE t.version = u.expected_version"));
        Assert.That(batch.Text, Does.Not.Contain("@rows5").And.Not.Contain("MERGE"));
        var outbox = JsonDocument.Parse(batch.Parameters[4].Json).RootElement;
        Assert.That(outbox.GetArrayLength(), Is.EqualTo(1), "an event id is sent once: NOT EXISTS cannot see a duplicate in its own source");
    }

    /// <summary>The one command a batch sends, with every kind of write in it (each statement and its
    /// row-count check), parses as T-SQL.</summary>
    [Test]
    public void ABatchWithEveryKindOfWriteParses()
    {
        var changes = new LedgerChanges(At);
        var decision = new Decision(TxnResult.Approved, "APPROVED", null, new Money(5, "GBP", 2), 5, "funds");
        changes.Transactions.Add(new TransactionWrite(State("NEW", 1), null, At));
        changes.Transactions.Add(new TransactionWrite(State("OLD", 3), 2, At));
        changes.Accounts.Add(new AccountWrite("ACC-1", "GBP", 2, 0, 100, true, At));
        changes.Accounts.Add(new AccountWrite("ACC-2", "GBP", 2, 0, 100, false, At));
        changes.Versions.Add(new VersionRecord("NEW", 1, VersionOutcome.Applied, [1, 2], "k1", [3], EventFlags.None, "{}", At));
        changes.Journal.Add(new JournalLine("NEW", 1, "ACC-1", JournalKind.Hold, 5, "GBP", 2, At));
        changes.Decisions.Add(new DecisionRecord("NEW", 1, "ACC-1", decision, new Money(5, "GBP", 2), 1.5, false, At, At.AddSeconds(1), Confirmed: false));
        changes.Revocations.Add(new DecisionRevocation("OLD", 3, decision, At));
        changes.Outbox.Add(new OutboxEvent("evt_1", "transaction.updated", "NEW", 1, "ACC-1", "{}", At));
        changes.Outbox.Add(new OutboxEvent("evt_2", "instruction.updated", "NEW", 1, "ACC-1", "{}", At, Subject: "ORD-1/INS-1"));
        changes.Deliveries.Add(new Orian.Delivery.DeliveryWrite("evt_1", "we_1"));
        changes.Deliveries.Add(new Orian.Delivery.DeliveryWrite("evt_2", "orchestrator"));
        changes.Links.Add(new Orian.Delivery.LinkProgressWrite("NEW", "SETTLED", 1));

        var batch = SqlServerBatch.For(changes);
        Assert.That(batch.Parameters, Has.Count.EqualTo(11), "a statement per kind of write");
        Assert.That(TransactSqlParseTests.Errors(batch.Text), Is.Empty, batch.Text);
    }

    [Test]
    public void RowsCarryExactIntegersHexHashesAndOffsetTimes()
    {
        var versions = JsonDocument.Parse(SqlServerJson.Rows(LedgerWrites.Versions, [new VersionRecord("T", long.MaxValue, VersionOutcome.Stale, [0x00, 0xAB, 0xFF], "k1", [0x0C], EventFlags.None, null, At)])).RootElement[0];
        Assert.That(versions.GetProperty("version").GetRawText(), Is.EqualTo("9223372036854775807"));
        Assert.That(versions.GetProperty("payload_hash").GetString(), Is.EqualTo("00ABFF"), "CONVERT(varbinary, h, 2) reads hex without 0x");
        Assert.That(versions.GetProperty("redacted_hash").GetString(), Is.EqualTo("0C"));
        Assert.That(versions.GetProperty("payload_key").GetString(), Is.EqualTo("k1"));
        Assert.That(versions.GetProperty("received_at").GetString(), Is.EqualTo("2026-11-22T09:30:00.1230000+00:00"));
        Assert.That(versions.GetProperty("raw_json").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var transaction = JsonDocument.Parse(SqlServerJson.Rows(LedgerWrites.NewTransactions, [new TransactionWrite(State("T", 1), null, At)])).RootElement[0];
        Assert.That(transaction.GetProperty("amount").GetRawText(), Is.EqualTo("999999999999999"));
        Assert.That(transaction.GetProperty("expected_version").GetInt64(), Is.EqualTo(-1), "a new row: no stored version is -1");
        Assert.That(transaction.GetProperty("effect_counter_is_account").GetBoolean(), Is.False);
        Assert.That(transaction.GetProperty("effect_held").GetInt64(), Is.EqualTo(999_999_999_999_999));
    }

    [Test]
    public void ADecisionCarriesItsDeadlineAndWhetherItIsConfirmed()
    {
        var decision = new Decision(TxnResult.Approved, "APPROVED", null, null, 100, "funds");
        var deadline = At.AddMilliseconds(1_500);
        var rows = JsonDocument.Parse(SqlServerJson.Rows(LedgerWrites.Decisions, [
            new DecisionRecord("T", 1, "A", decision, null, 3.5, false, At, deadline, Confirmed: false),
            new DecisionRecord("T", 2, "A", decision, null, 3.5, true, At, deadline, Confirmed: true)])).RootElement;
        Assert.That(rows[0].GetProperty("deadline_at").GetString(), Is.EqualTo("2026-11-22T09:30:01.6230000+00:00"));
        Assert.That(rows[0].GetProperty("confirmed_at").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(rows[1].GetProperty("confirmed_at").GetString(), Is.EqualTo("2026-11-22T09:30:00.1230000+00:00"), "its own stand-in: confirmed in the batch that wrote it");
        var keys = JsonDocument.Parse(SqlServerJson.Keys([new DecisionKey("T\"'", 1), new DecisionKey("U", long.MaxValue)])).RootElement;
        Assert.That(keys[0].GetProperty("i").GetString(), Is.EqualTo("T\"'"));
        Assert.That(keys[1].GetProperty("v").GetInt64(), Is.EqualTo(long.MaxValue));
    }

    [TestCase(1205, true, TestName = "deadlock victim")]
    [TestCase(1222, true, TestName = "lock request timeout")]
    [TestCase(-2, true, TestName = "command timeout")]
    [TestCase(3960, true, TestName = "snapshot update conflict")]
    [TestCase(2627, true, TestName = "a key another instance inserted first")]
    [TestCase(40613, true, TestName = "Azure database not available")]
    [TestCase(40501, true, TestName = "Azure service busy")]
    [TestCase(51001, true, TestName = "a conditional write lost a race")]
    [TestCase(547, false, TestName = "a CHECK the data breaks")]
    [TestCase(8115, false, TestName = "arithmetic overflow")]
    [TestCase(208, false, TestName = "invalid object name")]
    [TestCase(245, false, TestName = "a conversion the data fails")]
    public void ErrorNumbersAreClassifiedForTheRetry(int number, bool transient) =>
        Assert.That(SqlServerErrors.IsTransientNumber(number), Is.EqualTo(transient));

    [Test]
    public void FailuresOutsideTheServerAreClassifiedAsOnTheOtherProviders()
    {
        Assert.That(SqlServerErrors.IsTransient(new ConcurrencyException("lost")), Is.True);
        Assert.That(SqlServerErrors.IsTransient(new TimeoutException()), Is.True);
        Assert.That(SqlServerErrors.IsTransient(new System.Net.Sockets.SocketException()), Is.True);
        Assert.That(SqlServerErrors.IsTransient(new LedgerInvariantException("bug")), Is.False);
        Assert.That(SqlServerErrors.IsTransient(new InvalidOperationException()), Is.False);
    }
}
