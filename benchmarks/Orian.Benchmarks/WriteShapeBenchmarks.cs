using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Npgsql;
using Orian.Domain;
using Orian.Ledger;
using Orian.Outbox;
using Orian.Storage;
using Orian.Storage.Postgres;
using Orian.Storage.Sql;

namespace Orian.Benchmarks;

/// <summary>
/// Two ways to write a batch's appended rows on PostgreSQL, on Orian's schema and indexes: the
/// statements the service sends (<c>INSERT ... SELECT ... FROM unnest(...)</c>, one per table, all in
/// one round trip, planned as the batch plans them) against binary <c>COPY</c> (straight into the two
/// tables a batch only appends to, and through a temporary table for the outbox, whose insert must
/// skip an event already stored), each in one transaction that commits. The rows are a load run's
/// mix per event: one version with a 684-byte body, 1.2 journal lines, 1.5 outbox events with
/// 425-byte payloads. Needs a server: <c>ORIAN_BENCH_POSTGRES</c> (a connection string to a database
/// this creates and drops another database beside).
///
/// <code>ORIAN_BENCH_POSTGRES="Host=127.0.0.1;Port=55432;Username=orian;Database=postgres" \
///   dotnet run -c Release --project benchmarks/Orian.Benchmarks -- --filter '*WriteShape*'</code>
/// </summary>
[MemoryDiagnoser]
public class WriteShapeBenchmarks
{
    private const string Database = "orian_bench_shapes";
    private static readonly string Body = "{\"k\":\"" + new string('b', 676) + "\"}";
    private static readonly string Payload = "{\"p\":\"" + new string('p', 417) + "\"}";

    private static readonly string OutboxColumns = string.Join(", ", LedgerTables.Outbox.Columns.Where(c => c.IsStored).Select(c => c.Name));

    private PostgresDatabase _database = null!;
    private NpgsqlConnection _connection = null!;
    private long _next;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Events per batch: Orian's batches under load hold about 16.</summary>
    [Params(16, 64, 256)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var server = Environment.GetEnvironmentVariable("ORIAN_BENCH_POSTGRES")
            ?? throw new InvalidOperationException("Set ORIAN_BENCH_POSTGRES to a PostgreSQL connection string.");
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", admin);
            drop.ExecuteNonQuery();
            using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", admin);
            create.ExecuteNonQuery();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = Database }.ConnectionString;
        _database = new PostgresDatabase(connectionString);
        new SchemaMigrator(_database).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _connection = (NpgsqlConnection)_database.OpenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        // Both shapes commit alike; the log's flush is left out of what is compared.
        Execute("SET synchronous_commit = off");
        Execute($"CREATE TEMPORARY TABLE outbox_stage ON COMMIT DELETE ROWS AS SELECT {OutboxColumns} FROM outbox_events WITH NO DATA");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "unnest, one round trip")]
    public async Task Unnest()
    {
        var (versions, journal, outbox, at) = Rows();
        await using var transaction = await _connection.BeginTransactionAsync();
        var writes = new PostgresWrites(at.UtcDateTime);
        writes.Write(LedgerWrites.Versions, versions);
        writes.Write(LedgerWrites.Journal, journal);
        writes.Write(LedgerWrites.Outbox, outbox);
        await using var batch = writes.ToBatch(_connection, transaction);
        // The batch's plan settings, as the service sends them before its writes (one command each here).
        var settings = PostgresUnitOfWork.PlanSettings.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < settings.Length; i++)
        {
            batch.BatchCommands.Insert(i, new NpgsqlBatchCommand(settings[i]));
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    [Benchmark(Description = "binary COPY (outbox staged)")]
    public async Task Copy()
    {
        var (versions, journal, outbox, at) = Rows();
        await using var transaction = await _connection.BeginTransactionAsync();
        await CopyAsync(LedgerTables.Versions, "transaction_versions", versions, at);
        await CopyAsync(LedgerTables.Journal, "journal", journal, at);
        await CopyAsync(LedgerTables.Outbox, "outbox_stage", outbox, at);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO outbox_events ({OutboxColumns}) SELECT {OutboxColumns} FROM outbox_stage ON CONFLICT (event_id) DO NOTHING", _connection, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task CopyAsync<TRow>(TableMap<TRow> map, string table, IReadOnlyList<TRow> rows, DateTimeOffset at)
    {
        var columns = map.Columns.Where(c => c.IsStored).ToList();
        await using var importer = await _connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            foreach (var column in columns)
            {
                var value = column.IsBatchTime ? at : column.Get(row);
                if (value is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(value is DateTimeOffset time ? time.UtcDateTime : value, PostgresSql.TypeOf(column.Type));
                }
            }
        }

        await importer.CompleteAsync();
    }

    /// <summary>A batch's appended rows, with ids never used before.</summary>
    private (List<VersionRecord>, List<JournalLine>, List<OutboxEvent>, DateTimeOffset) Rows()
    {
        var at = DateTimeOffset.UtcNow;
        var versions = new List<VersionRecord>(Events);
        var journal = new List<JournalLine>(Events * 6 / 5);
        var outbox = new List<OutboxEvent>(Events * 3 / 2);
        for (var i = 0; i < Events; i++)
        {
            var id = $"{_run}-{++_next}";
            versions.Add(new VersionRecord(id, 1, VersionOutcome.Applied, Hash(_next), "k1", Hash(~_next), EventFlags.None, Body, at));
            journal.Add(new JournalLine(id, 1, $"ACC-{_next % 2000}", JournalKind.Hold, 1_050, "GBP", 2, at));
            if (i % 5 == 0)
            {
                journal.Add(new JournalLine(id, 1, $"scheme:MC:GBP", JournalKind.Posting, -1_050, "GBP", 2, at));
            }

            outbox.Add(new OutboxEvent($"evt_{id}", "transaction.updated", id, 1, $"ACC-{_next % 2000}", Payload, at));
            if (i % 2 == 0)
            {
                outbox.Add(new OutboxEvent($"evt_{id}_b", "balance.updated", id, 1, $"ACC-{_next % 2000}", Payload, at));
            }
        }

        return (versions, journal, outbox, at);
    }

    private static byte[] Hash(long seed)
    {
        var hash = new byte[32];
        BitConverter.TryWriteBytes(hash, seed);
        return hash;
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        command.ExecuteNonQuery();
    }
}
