using Dapper;
using Orian.Storage;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>Schema migration on every provider: scripts recorded with their checksums, an edited
/// script stops start-up naming it, and a database migrated before checksums adopts them.</summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class SchemaContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    [Test]
    public async Task EveryScriptIsRecordedWithTheChecksumOfItsText()
    {
        var database = await CreateDatabaseAsync("schema");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var recorded = await database.QueryAsync<(long Id, string Checksum)>("SELECT id, checksum FROM schema_migrations ORDER BY id");
        var status = await database.Storage.Schema.GetStatusAsync(CancellationToken.None);
        Assert.That(status.IsCurrent, Is.True);
        Assert.That(recorded, Has.Count.EqualTo(status.Expected));
        Assert.That(recorded.Select(r => r.Checksum), Has.All.Match("^[0-9a-f]{64}$"));
        Assert.That(recorded.Select(r => r.Checksum).Distinct().Count(), Is.EqualTo(recorded.Count), "each script its own text");
    }

    [Test]
    public async Task TheOverdrawnCountReadsItsIndexNotEveryAccount()
    {
        var database = await CreateDatabaseAsync("overdrawn");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var count = $"SELECT count(*) FROM accounts WHERE {database.Storage.Database.Dialect.Overdrawn}";
        var plan = Provider.Name switch
        {
            // On a tiny table the planner prefers a scan; with scans priced out it must find the index usable.
            "postgres" => string.Join("\n", await database.QueryAsync<string>($"SET enable_seqscan = off; EXPLAIN {count}")),
            "sqlite" => string.Join("\n", (await database.QueryAsync<(long, long, long, string Detail)>($"EXPLAIN QUERY PLAN {count}")).Select(r => r.Detail)),
            // SQL Server (unverified here): the computed column's index exists; the plan is not read.
            _ => string.Join("\n", await database.QueryAsync<string>("SELECT name FROM sys.indexes WHERE name = 'ix_accounts_overdrawn'")),
        };
        Assert.That(plan, Does.Contain("ix_accounts_overdrawn"));
    }

    [Test]
    public async Task AnAppliedScriptWhoseTextChangedStopsMigrationNamingIt()
    {
        var database = await CreateDatabaseAsync("drift");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var second = await database.ScalarAsync<string>("SELECT name FROM schema_migrations WHERE id = 2");
        // As if the database had applied another text of script 2 than this build carries.
        await database.ExecuteAsync("UPDATE schema_migrations SET checksum = @c WHERE id = 2", new { c = new string('0', 64) });

        var migrate = () => database.Storage.Schema.MigrateAsync(CancellationToken.None);
        Assert.That(migrate, Throws.InstanceOf<SchemaDriftException>()
            .With.Message.Contains($"sql/{Provider.Name}/{second}.sql")
            .And.Property(nameof(SchemaDriftException.ScriptName)).EqualTo(second));
    }

    [Test]
    public async Task ADatabaseMigratedBeforeChecksumsAdoptsThemAndStaysCurrent()
    {
        var database = await CreateDatabaseAsync("legacy");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        await using (var connection = await database.ConnectAsync())
        {
            // The table as it was before checksums were recorded.
            await connection.ExecuteAsync("ALTER TABLE schema_migrations DROP COLUMN checksum");
        }

        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var recorded = await database.QueryAsync<string?>("SELECT checksum FROM schema_migrations ORDER BY id");
        Assert.That(recorded, Has.All.Not.Null);
        Assert.That((await database.Storage.Schema.GetStatusAsync(CancellationToken.None)).IsCurrent, Is.True);
    }
}
