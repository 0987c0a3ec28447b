using Npgsql;
using Orian.Ledger;

namespace Orian.Storage.Postgres;

/// <summary>The statements of one batch's writes, each over parallel arrays, and the row count each
/// must affect (null: not a conditional write).</summary>
internal sealed class PostgresWrites(DateTime at)
{
    private readonly List<(NpgsqlBatchCommand Command, int? Expected, string What)> _commands = [];

    public int Count => _commands.Count;

    public void Transactions(List<TransactionWrite> writes, string sql, string what)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var s = writes.ConvertAll(w => w.State);
        Add(sql, writes.Count, what,
            ("ids", s.Select(x => x.Id).ToArray()),
            ("versions", s.Select(x => x.Version).ToArray()),
            ("expected", writes.Select(w => w.ExpectedVersion ?? -1).ToArray()),
            ("hashes", s.Select(x => x.PayloadHash).ToArray()),
            ("keys", s.Select(x => x.PayloadKeyId).ToArray()),
            ("statuses", s.Select(x => x.Status).ToArray()),
            ("results", s.Select(x => x.Result).ToArray()),
            ("details", s.Select(x => x.ResultDetail).ToArray()),
            ("directions", s.Select(x => x.Direction).ToArray()),
            ("types", s.Select(x => x.TxnType).ToArray()),
            ("schemes", s.Select(x => x.SchemeId).ToArray()),
            ("accounts", s.Select(x => x.AccountNo).ToArray()),
            ("amounts", s.Select(x => x.Amount?.Minor).ToArray()),
            ("currencies", s.Select(x => x.Amount?.Currency).ToArray()),
            ("exponents", s.Select(x => (short?)x.Amount?.Exponent).ToArray()),
            ("effectAccounts", s.Select(x => x.Effect.AccountNo).ToArray()),
            ("effectCurrencies", s.Select(x => x.Effect.Currency).ToArray()),
            ("effectExponents", s.Select(x => (short)x.Effect.Exponent).ToArray()),
            ("effectHelds", s.Select(x => x.Effect.Held).ToArray()),
            ("effectPosteds", s.Select(x => x.Effect.Posted).ToArray()),
            ("effectCounters", s.Select(x => x.Effect.CounterAccount).ToArray()),
            ("counterIsAccounts", s.Select(x => x.Effect.CounterIsAccount).ToArray()),
            ("flags", s.Select(x => (int)x.Flags).ToArray()),
            ("secureAuths", s.Select(x => x.SecureAuthResult).ToArray()),
            ("at", at));
    }

    public void Accounts(List<AccountWrite> writes, string sql, string what)
    {
        if (writes.Count == 0)
        {
            return;
        }

        Add(sql, writes.Count, what,
            ("accounts", writes.Select(a => a.AccountNo).ToArray()),
            ("currencies", writes.Select(a => a.Currency).ToArray()),
            ("exponents", writes.Select(a => (short)a.Exponent).ToArray()),
            ("posted", writes.Select(a => a.PostedDelta).ToArray()),
            ("held", writes.Select(a => a.HeldDelta).ToArray()),
            ("at", at));
    }

    public void Versions(List<VersionRecord> v)
    {
        if (v.Count == 0)
        {
            return;
        }

        Add(PostgresSql.InsertVersions, null, "versions",
            ("ids", v.Select(x => x.TransactionId).ToArray()),
            ("versions", v.Select(x => x.Version).ToArray()),
            ("outcomes", v.Select(x => x.Outcome.ToWire()).ToArray()),
            ("hashes", v.Select(x => x.PayloadHash).ToArray()),
            ("keys", v.Select(x => x.PayloadKeyId).ToArray()),
            ("redactions", v.Select(x => x.RedactedHash).ToArray()),
            ("flags", v.Select(x => (int)x.Flags).ToArray()),
            ("raws", v.Select(x => x.RawJson).ToArray()),
            ("receivedAts", v.Select(x => x.ReceivedAt.UtcDateTime).ToArray()));
    }

    public void Journal(List<JournalLine> j)
    {
        if (j.Count == 0)
        {
            return;
        }

        Add(PostgresSql.InsertJournal, null, "journal",
            ("ids", j.Select(x => x.TransactionId).ToArray()),
            ("versions", j.Select(x => x.Version).ToArray()),
            ("accounts", j.Select(x => x.AccountNo).ToArray()),
            ("kinds", j.Select(x => x.Kind.ToWire()).ToArray()),
            ("amounts", j.Select(x => x.Amount).ToArray()),
            ("currencies", j.Select(x => x.Currency).ToArray()),
            ("exponents", j.Select(x => (short)x.Exponent).ToArray()),
            ("at", at));
    }

    public void Decisions(List<DecisionRecord> decisions)
    {
        if (decisions.Count == 0)
        {
            return;
        }

        var d = decisions.ConvertAll(DecisionRow.From);
        Add(PostgresSql.InsertDecisions, d.Count, "decisions",
            ("ids", d.Select(x => x.TransactionId).ToArray()),
            ("versions", d.Select(x => x.Version).ToArray()),
            ("accounts", d.Select(x => x.AccountNo).ToArray()),
            ("results", d.Select(x => x.Result).ToArray()),
            ("details", d.Select(x => x.ResultDetail).ToArray()),
            ("messages", d.Select(x => x.ResultMessage).ToArray()),
            ("approved", d.Select(x => x.ApprovedAmount).ToArray()),
            ("holds", d.Select(x => x.HoldAmount).ToArray()),
            ("amounts", d.Select(x => x.Amount).ToArray()),
            ("currencies", d.Select(x => x.Currency).ToArray()),
            ("exponents", d.Select(x => (short?)x.Exponent).ToArray()),
            ("reasons", d.Select(x => x.Reason).ToArray()),
            ("latencies", d.Select(x => x.LatencyMs).ToArray()),
            ("timedOuts", d.Select(x => x.TimedOut).ToArray()),
            ("deadlines", d.Select(x => x.DeadlineAt!.Value.UtcDateTime).ToArray()),
            ("confirmed", d.Select(x => x.ConfirmedAt is not null).ToArray()),
            ("at", at));
    }

    public void Revocations(List<DecisionRevocation> r)
    {
        if (r.Count == 0)
        {
            return;
        }

        Add(PostgresSql.RevokeDecisions, r.Count, "revoked decisions",
            ("ids", r.Select(x => x.TransactionId).ToArray()),
            ("versions", r.Select(x => x.Version).ToArray()),
            ("results", r.Select(x => x.StandIn.ResultText).ToArray()),
            ("details", r.Select(x => x.StandIn.Detail).ToArray()),
            ("confirmedAts", r.Select(x => x.ConfirmedAt?.ToUniversalTime()).ToArray()));
    }

    public void Outbox(List<Orian.Outbox.OutboxEvent> o)
    {
        if (o.Count == 0)
        {
            return;
        }

        Add(PostgresSql.InsertOutbox, null, "outbox events",
            ("ids", o.Select(x => x.EventId).ToArray()),
            ("types", o.Select(x => x.Type).ToArray()),
            ("transactions", o.Select(x => x.TransactionId).ToArray()),
            ("versions", o.Select(x => x.Version).ToArray()),
            ("accounts", o.Select(x => x.AccountNo).ToArray()),
            ("payloads", o.Select(x => x.Payload).ToArray()),
            ("traces", o.Select(x => x.TraceParent).ToArray()),
            ("at", at));
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

    /// <summary>Throws <see cref="ConcurrencyException"/> when a conditional write matched fewer rows
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

    private void Add(string sql, int? expected, string what, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        _commands.Add((command, expected, what));
    }
}
