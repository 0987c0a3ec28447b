using System.Text.Json;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Outbox;
using Orian.Wire;

namespace Orian.Ledger;

/// <summary>
/// The in-memory working state of one batch: the rows as locked, changed event by event in arrival
/// order, and the journal lines and version records that explain every change.
/// </summary>
internal sealed class BatchPlan
{
    private readonly Dictionary<string, TransactionState> _transactions;
    private readonly IReadOnlyDictionary<string, TransactionState> _locked;
    private readonly Dictionary<string, string> _appliedInBatch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkingAccount> _accounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedTransactions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Id, string Hash)> _bodiesInBatch = [];
    private readonly Dictionary<(string, long), Decision> _decisionsInBatch = [];
    private readonly IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)> _authorisationData;
    private readonly Dictionary<string, long> _spentInBatch = new(StringComparer.Ordinal);
    private readonly AuthorisationPolicy _policy;
    private readonly LedgerChanges _changes;
    private readonly DateTimeOffset _now;

    public BatchPlan(
        IReadOnlyDictionary<string, TransactionState> transactions,
        IReadOnlyDictionary<string, AccountState> accounts,
        IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)> authorisationData,
        AuthorisationPolicy policy,
        DateTimeOffset now)
    {
        _authorisationData = authorisationData;
        _policy = policy;
        _locked = transactions;
        _transactions = new Dictionary<string, TransactionState>(transactions, StringComparer.Ordinal);

        foreach (var (accountNo, account) in accounts)
        {
            LedgerInvariants.CheckAfterRead(account);
            _accounts[accountNo] = new WorkingAccount(account.Currency, account.Exponent, account.Posted, account.Held, isNew: false);
        }

        _now = now;
        _changes = new LedgerChanges(now);
    }

    public async ValueTask<ApplyResult> ApplyAsync(ILedgerUnitOfWork unit, PendingEvent pending, CancellationToken cancellationToken)
    {
        var evt = pending.Event;
        _transactions.TryGetValue(evt.Id, out var current);
        var outcome = await ClassifyAsync(unit, pending, current, cancellationToken).ConfigureAwait(false);
        var flags = EventFlags.None;
        Decision? decision = null;
        if (outcome == VersionOutcome.Applied)
        {
            decision = pending.Ticket is null ? null : Decide(pending);
            flags = Apply(pending, current, decision);
        }
        else if (pending.Ticket is not null)
        {
            // A re-sent request gets the decision its version got the first time; nothing is held again.
            decision = _decisionsInBatch.GetValueOrDefault((evt.Id, evt.Version))
                ?? await unit.GetDecisionAsync(evt.Id, evt.Version, cancellationToken).ConfigureAwait(false)
                ?? _policy.StandIn($"version {evt.Version} was {outcome.ToWire()} and has no decision of its own");
        }

        var body = outcome switch
        {
            VersionOutcome.Applied => pending.RawJson,
            VersionOutcome.Conflict when await IsNewBodyAsync(unit, pending, cancellationToken).ConfigureAwait(false) => pending.RawJson,
            _ => null, // a duplicate's body is the applied one; a stale version changes nothing
        };
        if (body is not null)
        {
            _bodiesInBatch.Add((evt.Id, Convert.ToHexString(pending.PayloadHash)));
        }

        _changes.Versions.Add(new VersionRecord(evt.Id, evt.Version, outcome, pending.PayloadHash, flags, body, pending.ReceivedAt));
        return new ApplyResult(outcome, _transactions[evt.Id].Version, flags, decision);
    }

    /// <summary>A conflicting body is kept for operators the first time it is seen, not on every re-send.</summary>
    private async ValueTask<bool> IsNewBodyAsync(ILedgerUnitOfWork unit, PendingEvent pending, CancellationToken cancellationToken) =>
        !_bodiesInBatch.Contains((pending.Event.Id, Convert.ToHexString(pending.PayloadHash)))
        && !await unit.HasPayloadAsync(pending.Event.Id, pending.PayloadHash, cancellationToken).ConfigureAwait(false);

    /// <summary>Decides an authorisation request from the working (locked) state of its account, and
    /// records the decision. A request whose deadline already passed gets the stand-in it was answered.</summary>
    private Decision Decide(PendingEvent pending)
    {
        var evt = pending.Event;
        var timedOut = pending.Ticket!.IsTimedOut;
        Decision decision;
        if (timedOut)
        {
            decision = _policy.StandIn("the deadline passed before the decision could be committed");
            pending.Ticket.DecidedAsStandIn = true;
        }
        else
        {
            var accountNo = evt.AccountNo;
            var exists = accountNo is not null && _accounts.ContainsKey(accountNo);
            var account = exists ? _accounts[accountNo!] : null;
            var data = accountNo is not null && _authorisationData.TryGetValue(accountNo, out var d) ? d : (AccountControls.None, 0L);
            var spent = data.Item2 + (accountNo is not null ? _spentInBatch.GetValueOrDefault(accountNo) : 0);
            var context = new AuthorisationContext(exists, account?.Currency, account?.Exponent ?? 0, account?.Available ?? 0, spent, data.Item1);
            decision = AuthorisationDecider.Decide(evt, context, _policy.AllowsPartialApproval(evt.ProductClassId));
            if (decision.HoldAmount > 0)
            {
                _spentInBatch[accountNo!] = _spentInBatch.GetValueOrDefault(accountNo!) + decision.HoldAmount;
            }
        }

        _decisionsInBatch[(evt.Id, evt.Version)] = decision;
        _changes.Decisions.Add(new DecisionRecord(
            evt.Id, evt.Version, evt.AccountNo, decision, evt.EffectiveAmounts.Actual, (_now - pending.ReceivedAt).TotalMilliseconds, timedOut, _now));
        _changes.Outbox.Add(EventFactory.AuthorisationDecided(evt.Id, evt.Version, evt.AccountNo, decision, evt.EffectiveAmounts.Actual, timedOut, revoked: false, _now));
        return decision;
    }

    /// <summary>
    /// Settles a stand-in answer: records it (if not yet), and if a decision that disagrees with it
    /// was committed for the same request, replaces that decision by the stand-in, releasing its hold
    /// if the version is still the transaction's latest. Idempotent: a decision already revoked, or
    /// one made after the stand-in was answered (a re-sent request), is left alone.
    /// </summary>
    /// <param name="state">The decision of the request's version, read in this transaction.</param>
    /// <param name="noDecisionBefore">Records answered before this and still without a decision are
    /// closed as <see cref="StandInResolutions.NoDecision"/>; younger ones stay open, since a slow
    /// commit may still bring one.</param>
    public void ResolveStandIn(StandInRecord record, DecisionState? state, DateTimeOffset noDecisionBefore)
    {
        _changes.StandIns.Add(record);
        string? resolution;
        if (state is null)
        {
            resolution = record.AnsweredAt < noDecisionBefore ? StandInResolutions.NoDecision : null;
        }
        else if (state.DecidedAt > record.AnsweredAt)
        {
            resolution = StandInResolutions.DecidedLater;
        }
        else if (state.Revoked || (state.Decision.HoldAmount == 0 && state.Decision.Result == record.StandIn.Result && state.Decision.Detail == record.StandIn.Detail))
        {
            resolution = StandInResolutions.AlreadyAgrees;
        }
        else
        {
            Revoke(record.TransactionId, record.Version, record.StandIn);
            resolution = StandInResolutions.Revoked;
        }

        if (resolution is not null)
        {
            _changes.ResolvedStandIns.Add(new StandInResolution(record.TransactionId, record.Version, resolution));
        }
    }

    private void Revoke(string transactionId, long version, Decision standIn)
    {
        _transactions.TryGetValue(transactionId, out var current);
        if (current is not null && current.Version == version && !current.Effect.IsNone)
        {
            var lines = new List<JournalLine>(2);
            Move(current.Effect, -1, transactionId, version, lines);
            AddMerged(lines);
            _transactions[transactionId] = current with { Effect = LedgerEffect.None, Result = standIn.ResultText, ResultDetail = standIn.Detail };
            _changedTransactions.Add(transactionId);
        }

        _changes.Revocations.Add(new DecisionRevocation(transactionId, version, standIn));
        _changes.Outbox.Add(EventFactory.AuthorisationDecided(
            transactionId, version, current?.AccountNo, standIn, current?.Amount, timedOut: true, revoked: true, _now));
    }

    public LedgerChanges ToChanges()
    {
        foreach (var id in _changedTransactions.Order(StringComparer.Ordinal))
        {
            long? expected = _locked.TryGetValue(id, out var read) ? read.Version : null;
            _changes.Transactions.Add(new TransactionWrite(_transactions[id], expected, _now));
        }

        foreach (var (accountNo, account) in _accounts.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (account.IsNew || account.PostedDelta != 0 || account.HeldDelta != 0)
            {
                _changes.Accounts.Add(new AccountWrite(accountNo, account.Currency, account.Exponent, account.PostedDelta, account.HeldDelta, account.IsNew, _now));
            }
        }

        return _changes;
    }

    private async ValueTask<VersionOutcome> ClassifyAsync(ILedgerUnitOfWork unit, PendingEvent pending, TransactionState? current, CancellationToken cancellationToken)
    {
        var version = pending.Event.Version;
        if (current is null || version > current.Version)
        {
            return VersionOutcome.Applied;
        }

        if (version < current.Version)
        {
            return VersionOutcome.Stale;
        }

        if (pending.PayloadHash.AsSpan().SequenceEqual(current.PayloadHash))
        {
            return VersionOutcome.Duplicate;
        }

        // Same version, different bytes: the same JSON written differently (whitespace, member
        // order) is still a duplicate; anything else is a conflict for an operator to look at.
        var applied = _appliedInBatch.GetValueOrDefault(current.Id)
            ?? await unit.GetAppliedPayloadAsync(current.Id, version, cancellationToken).ConfigureAwait(false);
        return applied is not null && SameJson(applied, pending.RawJson) ? VersionOutcome.Duplicate : VersionOutcome.Conflict;
    }

    /// <summary>The same JSON value. A stored body that no longer parses (written before the edge
    /// refused such bodies) compares as different: a conflict to look at, never an exception that
    /// would fail the event on every retry.</summary>
    private static bool SameJson(string a, string b)
    {
        try
        {
            using var left = JsonDocument.Parse(a);
            using var right = JsonDocument.Parse(b);
            return JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private EventFlags Apply(PendingEvent pending, TransactionState? current, Decision? decision)
    {
        var evt = pending.Event;
        var previous = current?.Effect ?? LedgerEffect.None;
        var computed = EffectFunction.Of(evt, decision);
        var flags = computed.Flags;
        if (evt.SecureAuthResult is { } secureAuth && !SecureAuth.Of(secureAuth).IsKnown)
        {
            flags |= EventFlags.UnknownSecureAuthResult;
        }

        var next = computed.CarryPrevious ? previous : computed.Effect;

        if (!computed.CarryPrevious && !next.IsNone)
        {
            var account = AccountFor(next.AccountNo!, next.Currency!, next.Exponent);
            // A transfer moves nothing, on either side, if the payee already keeps another currency.
            var payeeDiffers = evt.IsTransfer && _accounts.TryGetValue(evt.PayeeAccountNo!, out var payee)
                && (payee.Currency != next.Currency || payee.Exponent != next.Exponent);
            if (account.Currency != next.Currency || account.Exponent != next.Exponent || payeeDiffers)
            {
                flags |= EventFlags.CurrencyMismatch;
                next = previous;
            }
        }

        var availableBefore = next.AccountNo is { } a && _accounts.TryGetValue(a, out var before) ? before.Available : 0;
        if (next != previous)
        {
            var lines = new List<JournalLine>(4);
            Move(previous, -1, evt.Id, evt.Version, lines);
            Move(next, +1, evt.Id, evt.Version, lines);
            AddMerged(lines);
        }

        if (next.AccountNo is { } accountNo && _accounts[accountNo] is { Available: < 0 } after && after.Available < availableBefore)
        {
            flags |= EventFlags.Overdrawn;
        }

        var amount = decision?.ApprovedAmount
            ?? (evt.Result == TxnResult.PartiallyApproved ? evt.ApprovedAmount ?? evt.EffectiveAmounts.Actual : evt.EffectiveAmounts.Actual);
        _transactions[evt.Id] = new TransactionState
        {
            Id = evt.Id,
            Version = evt.Version,
            PayloadHash = pending.PayloadHash,
            Status = evt.StatusText,
            Result = decision?.ResultText ?? evt.ResultText,
            ResultDetail = decision?.Detail ?? evt.ResultDetail,
            Direction = evt.DirectionText,
            TxnType = evt.TxnTypeCode,
            SchemeId = evt.SchemeId,
            AccountNo = evt.AccountNo,
            Amount = amount,
            Effect = next,
            Flags = flags,
            SecureAuthResult = evt.SecureAuthResult ?? current?.SecureAuthResult,
        };
        _appliedInBatch[evt.Id] = pending.RawJson;
        _changedTransactions.Add(evt.Id);
        _changes.Outbox.Add(EventFactory.TransactionUpdated(_transactions[evt.Id], _now));
        if ((flags & EventFlags.Overdrawn) != 0 && next.AccountNo is { } overdrawn)
        {
            var account = _accounts[overdrawn];
            _changes.Outbox.Add(EventFactory.AccountOverdrawn(
                evt.Id, evt.Version, overdrawn, new AccountState(overdrawn, account.Currency, account.Exponent, account.Posted, account.Held), _now));
        }

        return flags;
    }

    /// <summary>The working account, opened on first use in the currency of the money that opens it
    /// (a load, a debit, or a transfer's credit).</summary>
    private WorkingAccount AccountFor(string accountNo, string currency, int exponent)
    {
        if (!_accounts.TryGetValue(accountNo, out var account))
        {
            account = new WorkingAccount(currency, exponent, 0, 0, isNew: true);
            _accounts[accountNo] = account;
        }

        return account;
    }

    /// <summary>Adds (<paramref name="sign"/> +1) or reverses (-1) an effect on the working balances.</summary>
    private void Move(LedgerEffect effect, int sign, string transactionId, long version, List<JournalLine> lines)
    {
        if (effect.IsNone)
        {
            return;
        }

        var accountNo = effect.AccountNo ?? throw new LedgerInvariantException($"Transaction {transactionId}: an effect with money must name an account.");
        if (!_accounts.TryGetValue(accountNo, out var account))
        {
            throw new LedgerInvariantException($"Transaction {transactionId}: account {accountNo} of its effect was not locked.");
        }

        var currency = effect.Currency!;
        if (effect.Held != 0)
        {
            account.HeldDelta = checked(account.HeldDelta + sign * effect.Held);
            lines.Add(new JournalLine(transactionId, version, accountNo, JournalKind.Hold, sign * effect.Held, currency, effect.Exponent, _now));
        }

        if (effect.Posted != 0)
        {
            var counter = effect.CounterAccount ?? throw new LedgerInvariantException($"Transaction {transactionId}: a posting must name its counter account.");
            account.PostedDelta = checked(account.PostedDelta + sign * effect.Posted);
            lines.Add(new JournalLine(transactionId, version, accountNo, JournalKind.Posting, sign * effect.Posted, currency, effect.Exponent, _now));
            lines.Add(new JournalLine(transactionId, version, counter, JournalKind.Posting, -sign * effect.Posted, currency, effect.Exponent, _now));
            if (effect.CounterIsAccount)
            {
                // The payee leg: a PPS account's balance, not a settlement account's journal only.
                var payee = AccountFor(counter, currency, effect.Exponent);
                payee.PostedDelta = checked(payee.PostedDelta - sign * effect.Posted);
                payee.AssertInvariants(counter);
            }
        }

        account.AssertInvariants(accountNo);
    }

    /// <summary>Nets the reversal of the previous effect against the new one, so a hold that grows
    /// from 100 to 120 reads as one line of +20, and drops lines that net to zero.</summary>
    private void AddMerged(List<JournalLine> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            for (var j = i + 1; j < lines.Count; j++)
            {
                if (lines[j].AccountNo == line.AccountNo && lines[j].Kind == line.Kind && lines[j].Currency == line.Currency)
                {
                    line = line with { Amount = checked(line.Amount + lines[j].Amount) };
                    lines.RemoveAt(j--);
                }
            }

            if (line.Amount != 0)
            {
                _changes.Journal.Add(line);
            }
        }
    }

    private sealed class WorkingAccount(string currency, int exponent, long posted, long held, bool isNew)
    {
        public string Currency { get; } = currency;
        public int Exponent { get; } = exponent;
        public bool IsNew { get; } = isNew;
        public long PostedDelta { get; set; }
        public long HeldDelta { get; set; }
        public long Posted => checked(posted + PostedDelta);
        public long Held => checked(held + HeldDelta);
        public long Available => checked(Posted - Held);

        public void AssertInvariants(string accountNo) => LedgerInvariants.CheckBeforeWrite(accountNo, Posted, Held);
    }
}
