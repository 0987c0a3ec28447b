using System.Security.Cryptography;
using System.Text;
using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Orchestrator;

namespace Orian.Outbox;

/// <summary>
/// Builds the events of the outbox, in one envelope:
/// <c>{"id", "type", "created_at", "data": {...}}</c>. <c>data.transaction_id</c> and
/// <c>data.version</c> are the per-transaction sequence consumers order by.
/// </summary>
public static class EventFactory
{
    public static OutboxEvent TransactionUpdated(TransactionState state, DateTimeOffset at) =>
        Build(EventTypes.TransactionUpdated, state.Id, state.Version, state.AccountNo ?? state.Effect.AccountNo, "", at, new TransactionUpdatedData(
            state.Id, state.Version, state.Status, state.Result, state.ResultDetail, state.Direction, state.TxnType, state.SchemeId, state.AccountNo,
            AmountModel.Of(state.Amount), state.Effect.Held, state.Effect.Posted, state.Flags.ToNames().ToArray(), SecureAuthModel.Of(state.SecureAuthResult)));

    public static OutboxEvent AuthorisationDecided(string transactionId, long version, string? accountNo, Decision decision, Money? amount, bool timedOut, bool revoked, DateTimeOffset at) =>
        Build(EventTypes.AuthorisationDecided, transactionId, version, accountNo, revoked ? "revoked" : "", at, new AuthorisationDecidedData(
            transactionId, version, accountNo, decision.ResultText, decision.Detail, decision.Message, AmountModel.Of(amount),
            AmountModel.Of(decision.ApprovedAmount), decision.HoldAmount, decision.Reason, timedOut, revoked));

    public static OutboxEvent AccountOverdrawn(string transactionId, long version, string accountNo, AccountState account, DateTimeOffset at) =>
        Build(EventTypes.AccountOverdrawn, transactionId, version, accountNo, "", at, new AccountOverdrawnData(
            transactionId, version, accountNo, account.Currency, account.Exponent, account.Posted, account.Held, account.Available));

    /// <summary>A linked Payments Orchestrator instruction changes status because its transaction
    /// reached <paramref name="change"/>'s version. Sent to the Orchestrator and to subscribed tenants.</summary>
    public static OutboxEvent InstructionUpdated(InstructionChange change, DateTimeOffset at) =>
        Build(EventTypes.InstructionUpdated, change.TransactionId, change.Version, change.AccountNo,
            $"{change.Link.OrderRef}|{change.Link.InstructionRef}|{change.Status}", at, new InstructionUpdatedData(
                change.TransactionId, change.Version, change.Link.OrderRef, change.Link.InstructionRef, OutboxPayload.Metadata(change.Link), change.Status,
                change.PreviousStatus, change.TransactionStatus, change.Result, change.AccountNo, AmountModel.Of(change.Amount), change.OccurredAt.UtcDateTime));

    /// <summary>A stable id: the same cause always yields the same id.</summary>
    public static string EventIdFor(string type, string transactionId, long version, string suffix)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{type}|{transactionId}|{version}|{suffix}"), hash);
        return "evt_" + Convert.ToHexStringLower(hash[..13]);
    }

    private static OutboxEvent Build<TData>(string type, string transactionId, long version, string? accountNo, string suffix, DateTimeOffset at, TData data)
    {
        var id = EventIdFor(type, transactionId, version, suffix);
        return new OutboxEvent(id, type, transactionId, version, accountNo, OutboxPayload.Write(new OutboxEnvelope<TData>(id, type, at.UtcDateTime, data)), at);
    }
}
