using Orian.Storage;
using Orian.Storage.Postgres;
using Orian.Storage.Sql;
using Orian.Storage.Sqlite;
using Orian.Storage.SqlServer;

namespace Orian.Tests.Storage;

/// <summary>The dialects as text: what each provider's SQL says where the databases differ. These run
/// everywhere, including where no SQL Server is reachable.</summary>
public sealed class DialectTests
{
    private static readonly (string, string)[] Row = [("id", "@Id"), ("name", "@Name"), ("at", "@At")];

    [Test]
    public void EveryProviderOfTheBuildIsFoundByName()
    {
        Assert.That(StorageServices.Providers.Keys, Is.EquivalentTo(new[] { "sqlite", "postgres", "sqlserver" }));
        Assert.That(StorageServices.Find("SQLServer"), Is.InstanceOf<SqlServerProvider>(), "names are case-insensitive");
        Assert.That(() => StorageServices.Find("oracle"), Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>()
            .With.Message.Contains("Orian:Storage:Provider").And.Message.Contains("postgres, sqlite, sqlserver"));
    }

    [Test]
    public void PostgresAndSqliteUseOnConflictLimitAndTrue()
    {
        foreach (SqlDialect d in new SqlDialect[] { new PostgresDialect(), new SqliteDialect() })
        {
            Assert.That(d.InsertIfAbsent("t", Row, "id"), Is.EqualTo("INSERT INTO t (id, name, at) VALUES (@Id, @Name, @At) ON CONFLICT (id) DO NOTHING"));
            Assert.That(d.Upsert("t", Row, ["id"], ["name", "at"]),
                Is.EqualTo("INSERT INTO t (id, name, at) VALUES (@Id, @Name, @At) ON CONFLICT (id) DO UPDATE SET name = excluded.name, at = excluded.at"));
            Assert.That(d.Page("@limit"), Is.EqualTo("LIMIT @limit"));
            Assert.That((d.True, d.False), Is.EqualTo(("TRUE", "FALSE")));
        }
    }

    [Test]
    public void PostgresTakesArraysSkipsLockedRowsAndLocksByAdvisoryKey()
    {
        var d = new PostgresDialect();
        Assert.That(d.In("id", "@ids"), Is.EqualTo("id = ANY(@ids)"));
        Assert.That(d.List(new[] { 1L, 2L }), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(d.ClaimHint, Is.Empty);
        Assert.That(d.ClaimClause("wd"), Is.EqualTo(" FOR UPDATE OF wd SKIP LOCKED"));
        Assert.That(d.TransactionLock("orian-links"), Is.EqualTo($"SELECT pg_advisory_xact_lock({0x4f5249414e4c4b})"), "the key older builds take");
    }

    [Test]
    public void SqliteNeedsNoLocksBeyondItsOneWriter()
    {
        var d = new SqliteDialect();
        Assert.That(d.In("id", "@ids"), Is.EqualTo("id IN @ids"));
        Assert.That(d.TransactionLock("orian-links"), Is.Null);
        Assert.That(d.ClaimHint + d.ClaimClause("wd"), Is.Empty);
        Assert.That(d.HasChecksumColumn, Does.Contain("pragma_table_info('schema_migrations')"));
    }

    [Test]
    public void SqlServerUsesHintsOffsetFetchBitsAndNoMerge()
    {
        var d = new SqlServerDialect();
        Assert.That((d.True, d.False), Is.EqualTo(("1", "0")));
        Assert.That(d.Page("@limit"), Is.EqualTo("OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY"));
        Assert.That(d.ClaimHint, Is.EqualTo("WITH (UPDLOCK, READPAST, ROWLOCK)"));
        Assert.That(d.ClaimClause("wd"), Is.Empty);
        Assert.That(d.InsertIfAbsent("t", Row, "id"),
            Is.EqualTo("INSERT INTO t (id, name, at) SELECT @Id, @Name, @At WHERE NOT EXISTS (SELECT 1 FROM t WITH (UPDLOCK, HOLDLOCK) WHERE id = @Id)"));
        var upsert = d.Upsert("t", Row, ["id"], ["name", "at"]);
        Assert.That(upsert, Is.EqualTo("UPDATE t WITH (UPDLOCK, SERIALIZABLE) SET name = @Name, at = @At WHERE id = @Id; " +
                                       "IF @@ROWCOUNT = 0 INSERT INTO t (id, name, at) VALUES (@Id, @Name, @At);"));
        Assert.That(upsert, Does.Not.Contain("MERGE"));
        Assert.That(d.TransactionLock("orian-links"), Does.Contain("sp_getapplock @Resource = N'orian-links', @LockMode = N'Exclusive', @LockOwner = N'Transaction'")
            .And.Contain($"THROW {SqlServerErrors.LockNotTaken}"));
        Assert.That(d.HasChecksumColumn, Does.Contain("COL_LENGTH(N'schema_migrations', N'checksum')"));
    }

    [Test]
    public void SqlServerListsTravelAsOneJsonArrayWhateverTheirLength()
    {
        var d = new SqlServerDialect();
        Assert.That(d.In("id", "@ids"), Is.EqualTo("id IN (SELECT value COLLATE Latin1_General_100_BIN2 FROM OPENJSON(@ids))"));
        Assert.That(d.List(new[] { 1L, 9_007_199_254_740_993L }), Is.EqualTo("[\"1\",\"9007199254740993\"]"), "ids as text: no precision lost");
        Assert.That(d.List(new[] { "a\"b", "é" }), Is.EqualTo("[\"a\\u0022b\",\"\\u00E9\"]"));
        var many = Enumerable.Range(0, 5_000).Select(i => (long)i).ToArray();
        Assert.That(d.List(many), Is.TypeOf<string>(), "one parameter, not 5,000 (SQL Server takes at most 2,100)");
    }

    [Test]
    public void TheSharedOutboxSqlReadsInEachDialect()
    {
        var postgres = new OutboxSql(new PostgresDialect());
        var sqlServer = new OutboxSql(new SqlServerDialect());
        Assert.That(postgres.Claim, Does.Contain("ORDER BY wd.next_attempt_at, wd.id LIMIT @limit FOR UPDATE OF wd SKIP LOCKED)"));
        Assert.That(sqlServer.Claim, Does.Contain("FROM webhook_deliveries wd WITH (UPDLOCK, READPAST, ROWLOCK) JOIN")
            .And.Contain("@orchestrator = 1").And.Contain("OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY)"));
        Assert.That(sqlServer.PendingEvents, Does.Contain("WHERE fanned_out = 0"));
        Assert.That(sqlServer.DueEndpoints, Does.Contain("ORDER BY w.next_attempt_at OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY").And.Contain("@orchestrator = 1"));
        Assert.That(postgres.InsertDeliveries, Does.Contain("ev.event_id = ANY(@ids)"));
        Assert.That(OutboxSql.InsertAttempts(2), Does.EndWith("(@id0, @attempt0, @now0, @status0, @latencyMs0, @error0), (@id1, @attempt1, @now1, @status1, @latencyMs1, @error1)"));
        Assert.That(sqlServer.MarkFannedOut, Does.StartWith("UPDATE outbox_events SET fanned_out = 1 WHERE id IN (SELECT value"));
        foreach (var sql in new[] { sqlServer.Claim, sqlServer.ClaimedDetails, sqlServer.PendingEvents, sqlServer.ListDeliveries, sqlServer.DueEndpoints, sqlServer.InsertDeliveries, sqlServer.DeliveredMany, sqlServer.HeldDeliveries })
        {
            Assert.That(sql, Does.Not.Contain("LIMIT").And.Not.Contain("TRUE").And.Not.Contain("FALSE").And.Not.Contain("ON CONFLICT"), sql);
        }
    }
}
