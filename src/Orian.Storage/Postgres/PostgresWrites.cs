using Npgsql;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage.Postgres;

/// <summary>The statements of one batch's writes, each over parallel arrays (<see cref="PostgresSql"/>),
/// and the row count each must affect (null: not counted).</summary>
internal sealed class PostgresWrites(DateTime at) : ITableWriter
{
    private readonly List<(NpgsqlBatchCommand Command, int? Expected, string What)> _commands = [];

    public int Count => _commands.Count;

    public void Write<TRow>(TableWrite<TRow> write, IReadOnlyList<TRow> rows)
    {
        var command = new NpgsqlBatchCommand(PostgresSql.Statement(write));
        foreach (var parameter in PostgresSql.Parameters(write.Map, rows))
        {
            command.Parameters.Add(parameter);
        }

        command.Parameters.Add(new NpgsqlParameter("at", at));
        _commands.Add((command, write.IsCounted ? rows.Count : null, write.What));
    }

    public NpgsqlBatch ToBatch(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (command, _, _) in _commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>Throws <see cref="ConcurrencyException"/> when a counted write matched fewer rows
    /// than the batch read under lock: another writer got there first.</summary>
    public void VerifyRowCounts(NpgsqlBatch batch)
    {
        for (var i = 0; i < _commands.Count; i++)
        {
            var (_, expected, what) = _commands[i];
            var affected = batch.BatchCommands[i].RecordsAffected;
            if (expected is { } n && affected != n)
            {
                throw new ConcurrencyException($"Expected to write {n} {what}, wrote {affected}.");
            }
        }
    }
}
