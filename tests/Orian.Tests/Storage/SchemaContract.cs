using Dapper;
using Orian.Storage;
using Orian.Storage.Sql;
using Orian.Tests.Support;

namespace Orian.Tests.Storage;

/// <summary>Schema migration on every provider: scripts recorded with their checksums, an edited
/// script stops start-up naming it, and a database migrated before checksums adopts them; the
/// tables a batch writes are the tables their maps describe.</summary>
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

    [TestCase("dead")]
    [TestCase("pending")]
    public async Task UnsettledDeliveriesAreFoundByStateThroughAnIndexNotEveryDelivery(string state)
    {
        var database = await CreateDatabaseAsync("unsettled");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var plan = Provider.Name switch
        {
            // The operators' list as a request plans it (its state known): settled deliveries, most of
            // the table, are in no index by state any more, and the unsettled ones are.
            "postgres" => string.Join("\n", await database.QueryAsync<string>("SET enable_seqscan = off; EXPLAIN " +
                new OutboxSql(database.Storage.Database.Dialect).ListDeliveries.Replace("@state", $"'{state}'").Replace("@afterId", "0").Replace("@limit", "50"))),
            // SQLite lists in key order (a bound state cannot pick an index); the backlog's counts read (state, id).
            "sqlite" => string.Join("\n", (await database.QueryAsync<(long, long, long, string Detail)>(
                $"EXPLAIN QUERY PLAN SELECT count(*) FROM webhook_deliveries WHERE state = '{state}'")).Select(r => r.Detail)),
            // SQL Server (unverified here): the index exists; the plan is not read.
            _ => string.Join("\n", await database.QueryAsync<string>("SELECT name FROM sys.indexes WHERE name = 'ix_webhook_deliveries_state'")),
        };
        Assert.That(plan, Provider.Name == "postgres" ? Does.Contain("ix_webhook_deliveries_unsettled")
            : Does.Contain("ix_webhook_deliveries_state").Or.Contain("ix_webhook_deliveries_pending_age"));
    }

    /// <summary>The status view and the gauges read the oldest pending delivery's age at every sample:
    /// one probe of the pending deliveries' age index, not a pass over every pending delivery (a failing
    /// endpoint's backlog: 82 ms a sample at 470,000).</summary>
    [Test]
    public async Task TheOldestPendingDeliveryIsReadThroughItsAgeIndex()
    {
        var database = await CreateDatabaseAsync("oldest");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        var oldest = new OutboxSql(database.Storage.Database.Dialect).OldestPending;
        var plan = Provider.Name switch
        {
            "postgres" => string.Join("\n", await database.QueryAsync<string>($"SET enable_seqscan = off; EXPLAIN {oldest}")),
            "sqlite" => string.Join("\n", (await database.QueryAsync<(long, long, long, string Detail)>($"EXPLAIN QUERY PLAN {oldest}")).Select(r => r.Detail)),
            // SQL Server (unverified here): the index exists; the plan is not read.
            _ => string.Join("\n", await database.QueryAsync<string>("SELECT name FROM sys.indexes WHERE name = 'ix_webhook_deliveries_pending_age'")),
        };
        Assert.That(plan, Does.Contain("ix_webhook_deliveries_pending_age"));
        Assert.That(plan, Does.Not.Contain("Sort").And.Not.Contain("TEMP B-TREE"), "read in the index's order");
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

    /// <summary>The columns each table has beside those its map writes: the database's own (an identity,
    /// a computed column) and those written by other code than the batch.</summary>
    private static readonly Dictionary<string, string[]> NotWrittenByTheBatch = new()
    {
        ["transactions"] = [],
        ["accounts"] = ["is_overdrawn"],
        ["transaction_versions"] = ["seq", "body_purged_at"],
        ["journal"] = ["id"],
        ["authorisation_decisions"] = [],
        ["outbox_events"] = ["id"],
        ["webhook_deliveries"] = ["id", "lease_owner", "lease_until", "last_status", "last_error", "delivered_at"], // the dispatcher's
    };

    /// <summary>Every column of every table a batch writes is in the table's map, under the type and
    /// width the map gives it (the width is what SQL Server's <c>OPENJSON</c> reads a value as, so a
    /// narrower one would cut a value short without an error); a column added to the schema and not
    /// to its map fails here.</summary>
    [Test]
    public async Task EveryColumnOfABatchTableIsInItsMapAsTheDatabaseDeclaresIt()
    {
        var database = await CreateDatabaseAsync("maps");
        await database.Storage.Schema.MigrateAsync(CancellationToken.None);
        foreach (var (table, mapped, whole) in new[]
                 {
                     Describe(LedgerTables.Transactions), Describe(LedgerTables.Accounts), Describe(LedgerTables.Versions),
                     Describe(LedgerTables.Journal), Describe(LedgerTables.Decisions), Describe(LedgerTables.Outbox),
                     Describe(LedgerTables.Revocations) with { Whole = false }, // the columns a revocation sets, of the decisions' table
                     Describe(LedgerTables.Deliveries),
                     Describe(LedgerTables.Links) with { Whole = false }, // the progress the fan-out moves; the link API writes the rest
                 })
        {
            var declared = (Provider.Name == "sqlite"
                    ? await database.QueryAsync<(string Name, string Type, long? Width)>("SELECT name, upper(type), NULL FROM pragma_table_info(@table)", new { table })
                    : await database.QueryAsync<(string Name, string Type, long? Width)>(
                        "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns WHERE table_name = @table AND table_schema = " +
                        (Provider.Name == "postgres" ? "current_schema()" : "SCHEMA_NAME()"), new { table }))
                .ToDictionary(c => c.Name, StringComparer.Ordinal);
            if (whole)
            {
                var unmapped = declared.Keys.Except(mapped.Select(c => c.Name)).Except(NotWrittenByTheBatch[table]).Order(StringComparer.Ordinal);
                Assert.That(unmapped, Is.Empty, $"{table}: columns its map does not write");
            }

            foreach (var (name, type, width) in mapped)
            {
                Assert.That(declared.TryGetValue(name, out var column), Is.True, $"{table}.{name} is not in the database");
                var actual = (Type: column.Type.ToLowerInvariant(), column.Width);
                if (actual.Type == "varchar" && type == ColumnType.Key)
                {
                    actual.Type = "nvarchar"; // SQL Server: an ASCII key (a key id) may be declared narrow; the map reads it as nvarchar
                }

                Assert.That(actual, Is.EqualTo(Declared(type, width)), $"{table}.{name}");
            }
        }
    }

    private static (string Table, List<(string Name, ColumnType Type, int Width)> Columns, bool Whole) Describe<TRow>(TableMap<TRow> map) =>
        (map.Table, map.Columns.Where(c => c.IsStored).Select(c => (c.Name, c.Type, c.Width)).ToList(), true);

    /// <summary>How this provider declares a column of the map's type and width.</summary>
    private (string Type, long? Width) Declared(ColumnType type, int width) => (Provider.Name, type) switch
    {
        ("sqlite", ColumnType.Text or ColumnType.Key or ColumnType.Currency or ColumnType.Document or ColumnType.Time) => ("text", null),
        ("sqlite", ColumnType.Bytes) => ("blob", null),
        ("sqlite", ColumnType.Real) => ("real", null),
        ("sqlite", _) => ("integer", null),
        ("postgres", ColumnType.Text or ColumnType.Key or ColumnType.Document) => ("text", null),
        ("postgres", ColumnType.Currency) => ("character", 3),
        ("postgres", ColumnType.Time) => ("timestamp with time zone", null),
        ("postgres", ColumnType.Real) => ("double precision", null),
        ("postgres", _) => (PostgresTypeOf(type), null),
        // SQL Server (unverified here): text at the map's width (-1: max), binary in bytes.
        (_, ColumnType.Text or ColumnType.Key) when width > 0 => ("nvarchar", width),
        (_, ColumnType.Text or ColumnType.Key or ColumnType.Document) => ("nvarchar", -1),
        (_, ColumnType.Currency) => ("nchar", 3),
        (_, ColumnType.Bytes) => ("varbinary", width),
        (_, ColumnType.Time) => ("datetimeoffset", null),
        (_, ColumnType.Real) => ("float", null),
        (_, ColumnType.Bool) => ("bit", null),
        (_, ColumnType.BigInt) => ("bigint", null),
        (_, ColumnType.Int) => ("int", null),
        (_, ColumnType.SmallInt) => ("smallint", null),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string PostgresTypeOf(ColumnType type) => Orian.Storage.Postgres.PostgresSql.TypeOf(type);
}
