using Orian.Authorisation;
using Orian.Domain;
using Orian.Outbox;

namespace Orian.Ledger;

/// <summary>The outbox emission of one batch: every event its changes owe the tenants and the
/// Orchestrator, written in the same commit as the changes.</summary>
internal sealed class PlanEvents(List<OutboxEvent> outbox, DateTimeOffset now)
{
    public void TransactionUpdated(TransactionState state) => outbox.Add(EventFactory.TransactionUpdated(state, now));

    public void Decided(string transactionId, long version, string? accountNo, Decision decision, Money? amount, bool timedOut) =>
        outbox.Add(EventFactory.AuthorisationDecided(transactionId, version, accountNo, decision, amount, timedOut, revoked: false, now));

    public void Revoked(string transactionId, long version, string? accountNo, Decision standIn, Money? amount) =>
        outbox.Add(EventFactory.AuthorisationDecided(transactionId, version, accountNo, standIn, amount, timedOut: true, revoked: true, now));

    public void Overdrawn(string transactionId, long version, AccountState account) =>
        outbox.Add(EventFactory.AccountOverdrawn(transactionId, version, account.AccountNo, account, now));
}
