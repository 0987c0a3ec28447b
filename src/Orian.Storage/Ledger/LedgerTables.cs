using Orian.Authorisation;
using Orian.Ledger;
using Orian.Outbox;
using Orian.Storage.Sql;
using static Orian.Storage.Sql.Column;

namespace Orian.Storage;

/// <summary>
/// The tables a ledger batch writes, one map each: every column, what it holds, its declared width
/// (SQL Server's; the other databases take any length the domain's own limits allow), and how it is
/// read from the batch's rows. Adding a stored field is: the parser and the domain type, an entry
/// here, one migration per provider, tests. The providers derive their statements from these maps
/// (<see cref="LedgerWrites"/>), and the reads their select lists.
/// </summary>
internal static class LedgerTables
{
    /// <summary>The declared widths: ids 64 characters (the wire's limit for every identifier); the
    /// account columns 200, as the schema declares them.</summary>
    private const int IdWidth = 64;
    private const int AccountWidth = 200;
    private const int TextWidth = 64;
    private const int HashBytes = 32;
    private const int KeyIdWidth = 32;
    private const int StateWidth = 16;

    /// <summary>An attempt's error, as the schema declares it (already bounded shorter by the dispatcher).</summary>
    private const int ErrorWidth = 2000;

    /// <summary>An instruction's <c>order_ref/instruction_ref</c>: two references of at most 50 and the slash.</summary>
    private const int SubjectWidth = 110;

    /// <summary>A lease's owner: an instance and its claim (the schema declares 200).</summary>
    private const int LeaseOwnerWidth = 200;

    /// <summary>One row per transaction, its latest version. Indexes, each for the read it serves: the
    /// key (the batch's locking read, every update, reads by id); <c>ix_transactions_effect_account_created</c>
    /// (partial: rows that still move money; a decision's spend today, on accounts with a daily limit);
    /// <c>ix_transactions_unkeyed</c> (partial: hashes from before keyed hashes, which the re-keying job
    /// finds; new rows never enter it).</summary>
    public static readonly TableMap<TransactionWrite> Transactions = new("transactions",
        Key<TransactionWrite, string>("id", ColumnType.Key, IdWidth, w => w.State.Id),
        Of<TransactionWrite, long>("version", ColumnType.BigInt, w => w.State.Version),
        Of<TransactionWrite, byte[]>("payload_hash", ColumnType.Bytes, w => w.State.PayloadHash, HashBytes),
        Of<TransactionWrite, string?>("payload_key", ColumnType.Key, w => w.State.PayloadKeyId, KeyIdWidth),
        Of<TransactionWrite, string>("status", ColumnType.Text, w => w.State.Status, TextWidth),
        Of<TransactionWrite, string?>("result", ColumnType.Text, w => w.State.Result, TextWidth),
        Of<TransactionWrite, string?>("result_detail", ColumnType.Text, w => w.State.ResultDetail, TextWidth),
        Of<TransactionWrite, string?>("direction", ColumnType.Text, w => w.State.Direction, TextWidth),
        Of<TransactionWrite, string?>("txn_type", ColumnType.Text, w => w.State.TxnType, TextWidth),
        Of<TransactionWrite, string?>("scheme_id", ColumnType.Text, w => w.State.SchemeId, TextWidth),
        Of<TransactionWrite, string?>("account_no", ColumnType.Key, w => w.State.AccountNo, AccountWidth),
        Of<TransactionWrite, long?>("amount", ColumnType.BigInt, w => w.State.Amount?.Minor),
        Of<TransactionWrite, string?>("currency", ColumnType.Currency, w => w.State.Amount?.Currency),
        Of<TransactionWrite, short?>("exponent", ColumnType.SmallInt, w => (short?)w.State.Amount?.Exponent),
        Of<TransactionWrite, string?>("effect_account", ColumnType.Key, w => w.State.Effect.AccountNo, AccountWidth),
        Of<TransactionWrite, string?>("effect_currency", ColumnType.Currency, w => w.State.Effect.Currency),
        Of<TransactionWrite, short>("effect_exponent", ColumnType.SmallInt, w => (short)w.State.Effect.Exponent),
        Of<TransactionWrite, long>("effect_held", ColumnType.BigInt, w => w.State.Effect.Held),
        Of<TransactionWrite, long>("effect_posted", ColumnType.BigInt, w => w.State.Effect.Posted),
        Of<TransactionWrite, string?>("effect_counter", ColumnType.Key, w => w.State.Effect.CounterAccount, AccountWidth),
        Of<TransactionWrite, bool>("effect_counter_is_account", ColumnType.Bool, w => w.State.Effect.CounterIsAccount),
        Of<TransactionWrite, int>("flags", ColumnType.Int, w => (int)w.State.Flags),
        Of<TransactionWrite, string?>("secure_auth_result", ColumnType.Text, w => w.State.SecureAuthResult, TextWidth),
        CreatedAt<TransactionWrite>("created_at"),
        BatchTime<TransactionWrite>("updated_at"),
        Condition<TransactionWrite, long>("expected_version", ColumnType.BigInt, w => w.ExpectedVersion ?? -1));

    /// <summary>Balances. Indexes: the key (the locking read, every update);
    /// <c>ix_accounts_overdrawn</c> (partial: overdrawn accounts only; the status view's count).</summary>
    public static readonly TableMap<AccountWrite> Accounts = new("accounts",
        Key<AccountWrite, string>("account_no", ColumnType.Key, AccountWidth, a => a.AccountNo),
        Of<AccountWrite, string>("currency", ColumnType.Currency, a => a.Currency),
        Of<AccountWrite, short>("exponent", ColumnType.SmallInt, a => (short)a.Exponent),
        Of<AccountWrite, long>("posted", ColumnType.BigInt, a => a.PostedDelta),
        Of<AccountWrite, long>("held", ColumnType.BigInt, a => a.HeldDelta),
        CreatedAt<AccountWrite>("created_at"),
        BatchTime<AccountWrite>("updated_at"));

    /// <summary>Appended; <c>seq</c> is the database's, and <c>body_purged_at</c> is set later, by
    /// the body retention. Indexes: <c>seq</c> (the key; the re-keying job's pages);
    /// <c>ux_transaction_versions_applied</c> (unique, partial: one applied row per version, and the
    /// stored body a re-sent version is compared with); <c>ix_transaction_versions_transaction</c> (a
    /// transaction's history, in order); <c>ix_transaction_versions_bodies</c> (partial: bodies still
    /// stored, by age, for their retention); <c>ix_transaction_versions_unkeyed</c> (partial, empty once
    /// re-keyed).</summary>
    public static readonly TableMap<VersionRecord> Versions = new("transaction_versions",
        Of<VersionRecord, string>("transaction_id", ColumnType.Key, v => v.TransactionId, IdWidth),
        Of<VersionRecord, long>("version", ColumnType.BigInt, v => v.Version),
        Of<VersionRecord, string>("outcome", ColumnType.Text, v => v.Outcome.ToWire(), 16),
        Of<VersionRecord, byte[]>("payload_hash", ColumnType.Bytes, v => v.PayloadHash, HashBytes),
        Of<VersionRecord, string>("payload_key", ColumnType.Key, v => v.PayloadKeyId, KeyIdWidth),
        Of<VersionRecord, byte[]>("redacted_hash", ColumnType.Bytes, v => v.RedactedHash, HashBytes),
        Of<VersionRecord, int>("flags", ColumnType.Int, v => (int)v.Flags),
        Of<VersionRecord, string?>("raw_json", ColumnType.Document, v => v.RawJson),
        Of<VersionRecord, DateTimeOffset>("received_at", ColumnType.Time, v => v.ReceivedAt));

    /// <summary>Appended; <c>id</c> is the database's. Indexes: <c>id</c>; <c>ix_journal_account</c>
    /// (an account's journal, paged in order).</summary>
    public static readonly TableMap<JournalLine> Journal = new("journal",
        Of<JournalLine, string>("transaction_id", ColumnType.Key, j => j.TransactionId, IdWidth),
        Of<JournalLine, long>("version", ColumnType.BigInt, j => j.Version),
        Of<JournalLine, string>("account_no", ColumnType.Key, j => j.AccountNo, AccountWidth),
        Of<JournalLine, string>("kind", ColumnType.Text, j => j.Kind.ToWire(), 16),
        Of<JournalLine, long>("amount", ColumnType.BigInt, j => j.Amount),
        Of<JournalLine, string>("currency", ColumnType.Currency, j => j.Currency),
        Of<JournalLine, short>("exponent", ColumnType.SmallInt, j => (short)j.Exponent),
        CreatedAt<JournalLine>("created_at"));

    /// <summary>A decision as the batch writes it: never revoked yet, confirmed at once only when the
    /// worker answered it itself (its own stand-in). Indexes: the key (a re-sent request's decision,
    /// confirmations, revocations); <c>ix_authorisation_decisions_account</c> (an account's decisions,
    /// newest first); <c>ix_authorisation_decisions_unconfirmed</c> (partial: decisions not confirmed,
    /// by deadline, for the reconciler).</summary>
    public static readonly TableMap<DecisionRecord> Decisions = new("authorisation_decisions",
        Key<DecisionRecord, string>("transaction_id", ColumnType.Key, IdWidth, d => d.TransactionId),
        Key<DecisionRecord, long>("version", ColumnType.BigInt, 0, d => d.Version),
        Of<DecisionRecord, string?>("account_no", ColumnType.Key, d => d.AccountNo, AccountWidth),
        Of<DecisionRecord, string>("result", ColumnType.Text, d => d.Decision.ResultText, TextWidth),
        Of<DecisionRecord, string>("result_detail", ColumnType.Text, d => d.Decision.Detail, TextWidth),
        Of<DecisionRecord, string?>("result_message", ColumnType.Text, d => d.Decision.Message, 1024),
        Of<DecisionRecord, long?>("approved_amount", ColumnType.BigInt, d => d.Decision.ApprovedAmount?.Minor),
        Of<DecisionRecord, long>("hold_amount", ColumnType.BigInt, d => d.Decision.HoldAmount),
        Of<DecisionRecord, long?>("amount", ColumnType.BigInt, d => d.Amount?.Minor),
        Of<DecisionRecord, string?>("currency", ColumnType.Currency, d => d.Amount?.Currency),
        Of<DecisionRecord, short?>("exponent", ColumnType.SmallInt, d => (short?)d.Amount?.Exponent),
        Of<DecisionRecord, string>("reason", ColumnType.Text, d => d.Decision.Reason, 200),
        Of<DecisionRecord, double>("latency_ms", ColumnType.Real, d => d.LatencyMs),
        Of<DecisionRecord, bool>("timed_out", ColumnType.Bool, d => d.TimedOut),
        Of<DecisionRecord, bool>("revoked", ColumnType.Bool, _ => false),
        CreatedAt<DecisionRecord>("decided_at"),
        Of<DecisionRecord, DateTimeOffset>("deadline_at", ColumnType.Time, d => d.Deadline),
        Of<DecisionRecord, DateTimeOffset?>("confirmed_at", ColumnType.Time, d => d.Confirmed ? d.At : null));

    /// <summary>A revocation: the stand-in's result replaces the decision. <c>confirmed_at</c> is the
    /// time of a confirmation in doubt, which the revocation may still overrule (null: none).</summary>
    public static readonly TableMap<DecisionRevocation> Revocations = new("authorisation_decisions",
        Key<DecisionRevocation, string>("transaction_id", ColumnType.Key, IdWidth, r => r.TransactionId),
        Key<DecisionRevocation, long>("version", ColumnType.BigInt, 0, r => r.Version),
        Of<DecisionRevocation, string>("result", ColumnType.Text, r => r.StandIn.ResultText, TextWidth),
        Of<DecisionRevocation, string>("result_detail", ColumnType.Text, r => r.StandIn.Detail, TextWidth),
        Condition<DecisionRevocation, DateTimeOffset?>("confirmed_at", ColumnType.Time, r => r.ConfirmedAt));

    /// <summary>An event; <c>id</c> is the database's. The batch fans its events out itself
    /// (<see cref="Orian.Delivery.FanOut"/>), so it writes them fanned out; <c>subject</c> is an
    /// instruction update's instruction. Indexes: <c>id</c> (the order events are fanned out in);
    /// <c>event_id</c> (unique: an event written twice is one, and deliveries refer to it);
    /// <c>ix_outbox_events_pending</c> (partial: events not fanned out yet, which only a build from
    /// before the batch's fan-out wrote, the fan-out loop's read); <c>ix_outbox_events_subject</c> and
    /// <c>ix_outbox_events_instruction</c> (partial: instruction updates only, one in flight per
    /// instruction and a transaction's list).</summary>
    public static readonly TableMap<OutboxEvent> Outbox = new("outbox_events",
        Key<OutboxEvent, string>("event_id", ColumnType.Key, IdWidth, e => e.EventId),
        Of<OutboxEvent, string>("event_type", ColumnType.Text, e => e.Type, TextWidth),
        Of<OutboxEvent, string?>("transaction_id", ColumnType.Key, e => e.TransactionId, IdWidth),
        Of<OutboxEvent, long?>("version", ColumnType.BigInt, e => e.Version),
        Of<OutboxEvent, string?>("account_no", ColumnType.Key, e => e.AccountNo, AccountWidth),
        Of<OutboxEvent, string>("payload", ColumnType.Document, e => e.Payload),
        CreatedAt<OutboxEvent>("created_at"),
        Of<OutboxEvent, string?>("trace_parent", ColumnType.Text, e => e.TraceParent, TextWidth),
        Of<OutboxEvent, string?>("subject", ColumnType.Key, e => e.Subject, SubjectWidth),
        Of<OutboxEvent, bool>("fanned_out", ColumnType.Bool, _ => true));

    /// <summary>A delivery queued by the batch's fan-out for the claims, due at once (one taken live is
    /// not written here: its lease is, <see cref="LiveLeases"/>); the dispatcher owns the other columns
    /// (its attempts' outcome). Indexes: the key (every update by id); <c>(event_id, endpoint_id)</c>
    /// (unique: one delivery of an event to an endpoint, whoever writes it);
    /// <c>ix_webhook_deliveries_endpoint_due</c> (partial: pending, the claims' per-endpoint read in due
    /// order, and the count of pending ones); <c>(state, id)</c> (operators' lists by state; on
    /// PostgreSQL <c>ix_webhook_deliveries_unsettled</c>, pending and dead only, so a delivered row adds
    /// no entry); <c>ix_webhook_deliveries_lease_owner</c> (partial: leased, a claim's own rows).</summary>
    public static readonly TableMap<Orian.Delivery.DeliveryWrite> Deliveries = new("webhook_deliveries",
        Key<Orian.Delivery.DeliveryWrite, string>("event_id", ColumnType.Key, IdWidth, d => d.EventId),
        Key<Orian.Delivery.DeliveryWrite, string>("endpoint_id", ColumnType.Key, IdWidth, d => d.EndpointId),
        Of<Orian.Delivery.DeliveryWrite, string>("state", ColumnType.Text, _ => "pending", StateWidth),
        Of<Orian.Delivery.DeliveryWrite, int>("attempts", ColumnType.Int, _ => 0),
        CreatedAt<Orian.Delivery.DeliveryWrite>("next_attempt_at"),
        CreatedAt<Orian.Delivery.DeliveryWrite>("created_at"));

    /// <summary>The leases of a batch's live deliveries, one row per endpoint (<see cref="Orian.Delivery.LiveLeaseWrite"/>):
    /// written by the batch, moved by renewals, deleted by the record of its last delivery or by a
    /// take-over once it ran out. Indexes: the key (<c>owner</c>: renewals and the record's delete);
    /// <c>ix_live_leases_until</c> (the take-over's read of leases that ran out, oldest first).</summary>
    public static readonly TableMap<Orian.Delivery.LiveLeaseWrite> LiveLeases = new("live_leases",
        Key<Orian.Delivery.LiveLeaseWrite, string>("owner", ColumnType.Key, LeaseOwnerWidth, l => l.Owner),
        Of<Orian.Delivery.LiveLeaseWrite, string>("endpoint_id", ColumnType.Key, l => l.EndpointId, IdWidth),
        Of<Orian.Delivery.LiveLeaseWrite, DateTimeOffset>("lease_until", ColumnType.Time, l => l.Until),
        Of<Orian.Delivery.LiveLeaseWrite, int>("deliveries", ColumnType.Int, l => l.EventIds.Count),
        Of<Orian.Delivery.LiveLeaseWrite, string>("event_ids", ColumnType.Document, l => l.EventIdList),
        CreatedAt<Orian.Delivery.LiveLeaseWrite>("created_at"));

    /// <summary>A delivery's row written once, in the state it is in: a live delivery's outcome
    /// (delivered, pending for its retry, dead), or pending when a take-over finds no row for it. Insert
    /// if absent on <c>(event_id, endpoint_id)</c>: whichever of the record and a take-over writes first
    /// wins, and the other writes nothing.</summary>
    public static readonly TableMap<SettledDelivery> Settled = new("webhook_deliveries",
        Key<SettledDelivery, string>("event_id", ColumnType.Key, IdWidth, d => d.EventId),
        Key<SettledDelivery, string>("endpoint_id", ColumnType.Key, IdWidth, d => d.EndpointId),
        Of<SettledDelivery, string>("state", ColumnType.Text, d => d.State, StateWidth),
        Of<SettledDelivery, int>("attempts", ColumnType.Int, d => d.Attempts),
        Of<SettledDelivery, DateTimeOffset>("next_attempt_at", ColumnType.Time, d => d.NextAttemptAt),
        Of<SettledDelivery, DateTimeOffset>("created_at", ColumnType.Time, d => d.CreatedAt),
        Of<SettledDelivery, DateTimeOffset?>("delivered_at", ColumnType.Time, d => d.DeliveredAt),
        Of<SettledDelivery, int?>("last_status", ColumnType.Int, d => d.LastStatus),
        Of<SettledDelivery, string?>("last_error", ColumnType.Text, d => d.LastError, ErrorWidth));

    /// <summary>How far a linked instruction has been told (the columns of <c>instruction_links</c> the
    /// batch's fan-out moves; the link API writes the rest).</summary>
    public static readonly TableMap<Orian.Delivery.LinkProgressWrite> Links = new("instruction_links",
        Key<Orian.Delivery.LinkProgressWrite, string>("transaction_id", ColumnType.Key, IdWidth, l => l.TransactionId),
        Of<Orian.Delivery.LinkProgressWrite, string?>("last_status", ColumnType.Text, l => l.LastStatus, StateWidth),
        Of<Orian.Delivery.LinkProgressWrite, long?>("last_version", ColumnType.BigInt, l => l.LastVersion),
        BatchTime<Orian.Delivery.LinkProgressWrite>("updated_at"));
}

/// <summary>The statements of a ledger batch, in the order they run, and which rows each writes.</summary>
internal static class LedgerWrites
{
    public static readonly TableWrite<TransactionWrite> NewTransactions = new(LedgerTables.Transactions, WriteKind.Insert, "new transactions");

    /// <summary>Conditional on the version the batch read under lock.</summary>
    public static readonly TableWrite<TransactionWrite> TransactionVersions = new(LedgerTables.Transactions, WriteKind.Update, "transaction versions",
        where: "t.version = u.expected_version");

    public static readonly TableWrite<AccountWrite> NewAccounts = new(LedgerTables.Accounts, WriteKind.Insert, "new accounts");

    /// <summary>Balances move by the batch's deltas, in the account's currency only.</summary>
    public static readonly TableWrite<AccountWrite> AccountBalances = new(LedgerTables.Accounts, WriteKind.Update, "account balances",
        set: "posted = t.posted + u.posted, held = t.held + u.held, updated_at = @at", where: "t.currency = u.currency");

    public static readonly TableWrite<VersionRecord> Versions = new(LedgerTables.Versions, WriteKind.Append, "versions");
    public static readonly TableWrite<JournalLine> Journal = new(LedgerTables.Journal, WriteKind.Append, "journal lines");
    public static readonly TableWrite<DecisionRecord> Decisions = new(LedgerTables.Decisions, WriteKind.Insert, "decisions");

    /// <summary>Conditional on the decision being neither revoked nor confirmed (or confirmed exactly at
    /// the time of a confirmation in doubt), so a confirmation that committed first wins.</summary>
    public static readonly TableWrite<DecisionRevocation> Revocations = new(LedgerTables.Revocations, WriteKind.Update, "revoked decisions",
        set: "result = u.result, result_detail = u.result_detail, result_message = NULL, approved_amount = NULL, hold_amount = 0, " +
             "timed_out = {true}, revoked = {true}, confirmed_at = NULL",
        where: "t.revoked = {false} AND (t.confirmed_at IS NULL OR t.confirmed_at = u.confirmed_at)");

    /// <summary>An event id already stored is not written again.</summary>
    public static readonly TableWrite<OutboxEvent> Outbox = new(LedgerTables.Outbox, WriteKind.InsertIfAbsent, "outbox events");

    /// <summary>Insert-if-absent: a delivery already queued (an instruction update queued again by a
    /// link written twice) is one.</summary>
    public static readonly TableWrite<Orian.Delivery.DeliveryWrite> Deliveries = new(LedgerTables.Deliveries, WriteKind.InsertIfAbsent, "deliveries");

    /// <summary>Each owner is new: one lease per batch and endpoint.</summary>
    public static readonly TableWrite<Orian.Delivery.LiveLeaseWrite> LiveLeases = new(LedgerTables.LiveLeases, WriteKind.Insert, "live leases");

    /// <summary>Not a ledger batch's: the dispatcher's record of live deliveries, and a take-over's
    /// pending rows (<see cref="OutboxQueue"/>).</summary>
    public static readonly TableWrite<SettledDelivery> Settled = new(LedgerTables.Settled, WriteKind.InsertIfAbsent, "settled deliveries");

    public static readonly TableWrite<Orian.Delivery.LinkProgressWrite> Links = new(LedgerTables.Links, WriteKind.Update, "instruction links");

    /// <summary>Hands each statement with rows to <paramref name="writer"/>, in order.</summary>
    public static void Each(LedgerChanges changes, ITableWriter writer)
    {
        Write(writer, NewTransactions, changes.Transactions.FindAll(t => t.ExpectedVersion is null));
        Write(writer, TransactionVersions, changes.Transactions.FindAll(t => t.ExpectedVersion is not null));
        Write(writer, NewAccounts, changes.Accounts.FindAll(a => a.IsNew));
        Write(writer, AccountBalances, changes.Accounts.FindAll(a => !a.IsNew));
        Write(writer, Versions, changes.Versions);
        Write(writer, Journal, changes.Journal);
        Write(writer, Decisions, changes.Decisions);
        Write(writer, Revocations, changes.Revocations);
        Write(writer, Outbox, changes.Outbox);
        Write(writer, Deliveries, changes.Deliveries.FindAll(d => d.LeaseOwner is null)); // after their events: each refers to one
        Write(writer, LiveLeases, changes.LiveLeases); // the rest: their rows come with their outcomes
        Write(writer, Links, changes.Links);
    }

    private static void Write<TRow>(ITableWriter writer, TableWrite<TRow> write, List<TRow> rows)
    {
        if (rows.Count > 0)
        {
            writer.Write(write, rows);
        }
    }
}

/// <summary>A delivery's row as written once, in its state (<see cref="LedgerTables.Settled"/>).</summary>
internal sealed record SettledDelivery(
    string EventId, string EndpointId, string State, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt = null, int? LastStatus = null, string? LastError = null);
