using Orian.Authorisation;
using Orian.Domain;

namespace Orian.Ledger;

/// <summary>
/// One batch, planned: a pure function of the rows read under lock (<see cref="LockedRows"/>, and
/// <see cref="PlanData"/> for the rare rows that depend on them), the events in arrival order, and
/// the time. It runs the version rule (<see cref="VersionRule"/>), the authorisation decision and
/// the effect function for each event, moves the money leg by leg (<see cref="WorkingLedger"/>),
/// emits the outbox events (<see cref="PlanEvents"/>), and produces the <see cref="LedgerChanges"/>
/// a store writes. It reads nothing and writes nothing itself.
/// </summary>
internal sealed class BatchPlan
{
    private readonly Dictionary<string, TransactionState> _transactions;
    private readonly IReadOnlyDictionary<string, TransactionState> _locked;
    private readonly PlanData _data;
    private readonly Dictionary<string, AppliedBody> _appliedInBatch = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedTransactions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Id, string Hash)> _bodiesInBatch = [];
    private readonly Dictionary<(string, long), Decision> _decisionsInBatch = [];
    private readonly IReadOnlyDictionary<string, (AccountControls Controls, long SpentToday)> _authorisationData;
    private readonly Dictionary<string, long> _spentInBatch = new(StringComparer.Ordinal);
    private readonly AuthorisationPolicy _policy;
    private readonly LedgerChanges _changes;
    private readonly WorkingLedger _ledger;
    private readonly PlanEvents _events;
    private readonly DateTimeOffset _now;

    public BatchPlan(LockedRows locked, PlanData data, AuthorisationPolicy policy, DateTimeOffset now)
    {
        _authorisationData = locked.Authorisation;
        _policy = policy;
        _locked = locked.Transactions;
        _data = data;
        _transactions = new Dictionary<string, TransactionState>(locked.Transactions, StringComparer.Ordinal);
        _now = now;
        _changes = new LedgerChanges(now);
        _ledger = new WorkingLedger(locked.Accounts, _changes.Journal, now);
        _events = new PlanEvents(_changes.Outbox, now);
    }

    public ApplyResult Apply(PendingEvent pending)
    {
        var evt = pending.Event;
        _transactions.TryGetValue(evt.Id, out var current);
        var outcome = VersionRule.Classify(current, pending,
            () => _appliedInBatch.GetValueOrDefault(evt.Id) ?? _data.AppliedBodies.GetValueOrDefault((evt.Id, evt.Version)));
        var flags = EventFlags.None;
        Decision? decision = null;
        string? standInCause = null;
        if (outcome == VersionOutcome.Applied)
        {
            decision = pending.Ticket is null ? null : Decide(pending);
            flags = ApplyVersion(pending, current, decision);
        }
        else if (pending.Ticket is not null)
        {
            // A re-sent request gets the decision its version got the first time; nothing is held again.
            decision = _decisionsInBatch.GetValueOrDefault((evt.Id, evt.Version)) ?? _data.Decisions.GetValueOrDefault((evt.Id, evt.Version));
            if (decision is null)
            {
                decision = _policy.StandIn($"version {evt.Version} was {outcome.ToWire()} and has no decision of its own");
                standInCause = "no_decision";
            }
        }

        var body = outcome switch
        {
            VersionOutcome.Applied => pending.RawJson,
            VersionOutcome.Conflict when IsNewBody(pending) => pending.RawJson,
            _ => null, // a duplicate's body is the applied one; a stale version changes nothing
        };
        if (body is not null)
        {
            _bodiesInBatch.Add((evt.Id, Convert.ToHexString(pending.PayloadHash)));
        }

        // Every outcome is recorded, a duplicate's too: the batch always writes, so its commit, and with
        // it every answer of the batch, waits for a synchronous standby (docs/operations.md, "A
        // replicated PostgreSQL"); no 200 is ever given from a read alone.
        _changes.Versions.Add(new VersionRecord(evt.Id, evt.Version, outcome, pending.PayloadHash, pending.PayloadKeyId, pending.RedactedHash, flags, body, pending.ReceivedAt));
        return new ApplyResult(outcome, _transactions[evt.Id].Version, flags, decision, standInCause);
    }

    /// <summary>A conflicting body is kept for operators the first time it is seen, not on every re-send.</summary>
    private bool IsNewBody(PendingEvent pending)
    {
        var key = (pending.Event.Id, Convert.ToHexString(pending.PayloadHash));
        return !_bodiesInBatch.Contains(key) && !_data.StoredBodies.Contains(key);
    }

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
            var exists = accountNo is not null && _ledger.TryGet(accountNo, out _);
            var account = exists && _ledger.TryGet(accountNo!, out var a) ? a : default;
            var data = accountNo is not null && _authorisationData.TryGetValue(accountNo, out var d) ? d : (AccountControls.None, 0L);
            var spent = data.Item2 + (accountNo is not null ? _spentInBatch.GetValueOrDefault(accountNo) : 0);
            var context = new AuthorisationContext(exists, exists ? account.Currency : null, account.Exponent, exists ? account.Posted - account.Held : 0, spent, data.Item1);
            decision = AuthorisationDecider.Decide(evt, context, _policy.AllowsPartialApproval(evt.ProductClassId));
            if (decision.HoldAmount > 0)
            {
                _spentInBatch[accountNo!] = _spentInBatch.GetValueOrDefault(accountNo!) + decision.HoldAmount;
            }
        }

        _decisionsInBatch[(evt.Id, evt.Version)] = decision;
        // A stand-in given here is the answer already; any other decision counts once confirmed.
        var record = new DecisionRecord(
            evt.Id, evt.Version, evt.AccountNo, decision, evt.EffectiveAmounts.Actual, (_now - pending.ReceivedAt).TotalMilliseconds, timedOut, _now,
            pending.Ticket.Deadline, Confirmed: timedOut);
        LedgerInvariants.CheckBeforeWrite(record);
        _changes.Decisions.Add(record);
        _events.Decided(evt.Id, evt.Version, evt.AccountNo, decision, evt.EffectiveAmounts.Actual, timedOut);
        return decision;
    }

    /// <summary>Committed decisions this plan revokes.</summary>
    public int Revocations => _changes.Revocations.Count;

    /// <summary>
    /// Replaces a decision that never won its request's answer by the stand-in the request gave,
    /// releasing its hold if the version is still the transaction's latest. Only a decision that is
    /// neither confirmed nor revoked is touched (the write is conditional on both, so a confirmation
    /// that commits first wins); anything else is left as it is.
    /// </summary>
    /// <param name="state">The decision of the request's version, read in this transaction.</param>
    /// <param name="inDoubt">The time of a confirmation this instance attempted without learning
    /// whether it committed, after which the request answered the stand-in: a decision confirmed at
    /// exactly that time was confirmed by that attempt alone, and is revoked too.</param>
    public void RevokeUnconfirmed(DecisionKey key, DecisionState? state, DateTimeOffset? inDoubt = null)
    {
        if (state is not { Revoked: false })
        {
            return;
        }

        if (!state.Confirmed || state.ConfirmedAt == inDoubt)
        {
            Revoke(key.TransactionId, key.Version, _policy.StandIn("answered with the stand-in; the decision never became the answer"), state.ConfirmedAt);
        }
    }

    private void Revoke(string transactionId, long version, Decision standIn, DateTimeOffset? confirmedAt)
    {
        _transactions.TryGetValue(transactionId, out var current);
        if (current is not null && current.Version == version && !current.Effect.IsNone)
        {
            _ledger.Replace(current.Effect, LedgerEffect.None, transactionId, version);
            _transactions[transactionId] = current with { Effect = LedgerEffect.None, Result = standIn.ResultText, ResultDetail = standIn.Detail };
            _changedTransactions.Add(transactionId);
        }

        _changes.Revocations.Add(new DecisionRevocation(transactionId, version, standIn, confirmedAt));
        _events.Revoked(transactionId, version, current?.AccountNo, standIn, current?.Amount);
    }

    public LedgerChanges ToChanges()
    {
        foreach (var id in _changedTransactions.Order(StringComparer.Ordinal))
        {
            long? expected = _locked.TryGetValue(id, out var read) ? read.Version : null;
            _changes.Transactions.Add(new TransactionWrite(_transactions[id], expected, _now));
        }

        _changes.Accounts.AddRange(_ledger.Writes(_now));
        return _changes;
    }

    private EventFlags ApplyVersion(PendingEvent pending, TransactionState? current, Decision? decision)
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
            var account = _ledger.Open(next.AccountNo!, next.Currency!, next.Exponent);
            // A transfer moves nothing, on either side, if the payee already keeps another currency.
            var payeeDiffers = evt.IsTransfer && _ledger.TryGet(evt.PayeeAccountNo!, out var payee)
                && (payee.Currency != next.Currency || payee.Exponent != next.Exponent);
            if (account.Currency != next.Currency || account.Exponent != next.Exponent || payeeDiffers)
            {
                flags |= EventFlags.CurrencyMismatch;
                next = previous;
            }
        }

        var availableBefore = next.AccountNo is { } a ? _ledger.AvailableOf(a) : 0;
        _ledger.Replace(previous, next, evt.Id, evt.Version);
        if (next.AccountNo is { } accountNo && _ledger.AvailableOf(accountNo) is < 0 and var after && after < availableBefore)
        {
            flags |= EventFlags.Overdrawn;
        }

        var amount = decision?.ApprovedAmount
            ?? (evt.Result == TxnResult.PartiallyApproved ? evt.ApprovedAmount ?? evt.EffectiveAmounts.Actual : evt.EffectiveAmounts.Actual);
        var state = new TransactionState
        {
            Id = evt.Id,
            Version = evt.Version,
            PayloadHash = pending.PayloadHash,
            PayloadKeyId = pending.PayloadKeyId,
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
        _transactions[evt.Id] = state;
        _appliedInBatch[evt.Id] = new AppliedBody(pending.RawJson, pending.RedactedHash, pending.PayloadKeyId);
        _changedTransactions.Add(evt.Id);
        _events.TransactionUpdated(state);
        if ((flags & EventFlags.Overdrawn) != 0 && next.AccountNo is { } overdrawn && _ledger.TryGet(overdrawn, out var o))
        {
            _events.Overdrawn(evt.Id, evt.Version, new AccountState(overdrawn, o.Currency, o.Exponent, o.Posted, o.Held));
        }

        return flags;
    }
}
