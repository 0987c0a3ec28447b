using Orian.Edge;

namespace Orian.Ledger;

/// <summary>
/// The account invariants, asserted twice (TigerBeetle style): by the batch plan before it writes a
/// balance, and by the stores after they read one. Held is never negative; neither balance leaves
/// ±<see cref="EdgeLimits.MaxBalanceMinor"/>, so the arithmetic on them cannot wrap. And the decision
/// invariants: a decision written as already the answer is a stand-in (it holds nothing); a revoked
/// decision holds nothing and is not confirmed (confirmed and revoked are the two ends, never both).
/// </summary>
public static class LedgerInvariants
{
    /// <summary>Before a write: a balance out of range means the events would take the account where
    /// the ledger cannot follow (refused, 422); a negative hold means our own rules went wrong.</summary>
    public static void CheckBeforeWrite(string accountNo, long posted, long held)
    {
        if (held < 0)
        {
            throw new LedgerInvariantException($"Account {accountNo}: held would fall below zero ({held}).");
        }

        if (held > EdgeLimits.MaxBalanceMinor || posted is > EdgeLimits.MaxBalanceMinor or < -EdgeLimits.MaxBalanceMinor)
        {
            throw new LedgerRefusedException(
                $"Account {accountNo}: the event would take its balances (posted {posted}, held {held}) beyond ±{EdgeLimits.MaxBalanceMinor} minor units, the ledger's range.");
        }
    }

    /// <summary>After a read: a stored row that breaks the invariants is corrupt, whoever wrote it.</summary>
    public static AccountState CheckAfterRead(AccountState account)
    {
        if (account.Held < 0 || account.Held > EdgeLimits.MaxBalanceMinor || account.Posted is > EdgeLimits.MaxBalanceMinor or < -EdgeLimits.MaxBalanceMinor)
        {
            throw new LedgerInvariantException(
                $"Account {account.AccountNo}: stored balances (posted {account.Posted}, held {account.Held}) break the ledger's invariants.");
        }

        return account;
    }

    /// <summary>Before a decision is written: one confirmed at once is the stand-in the worker gave
    /// itself, which never holds money.</summary>
    public static void CheckBeforeWrite(DecisionRecord decision)
    {
        if (decision.Confirmed && decision.Decision.HoldAmount != 0)
        {
            throw new LedgerInvariantException(
                $"Decision {decision.TransactionId} version {decision.Version}: written as the answer already, yet holds {decision.Decision.HoldAmount}.");
        }
    }

    /// <summary>After a decision is read: a revoked one holds nothing and is not confirmed.</summary>
    public static DecisionState CheckAfterRead(string transactionId, long version, DecisionState decision)
    {
        if (decision.Revoked && (decision.Decision.HoldAmount != 0 || decision.Confirmed))
        {
            throw new LedgerInvariantException(
                $"Decision {transactionId} version {version}: stored revoked, yet holding {decision.Decision.HoldAmount} or confirmed ({decision.ConfirmedAt}).");
        }

        return decision;
    }
}

/// <summary>An event the ledger cannot apply whatever happens: applying it would break a bound.
/// Deterministic, so answered 422 and never retried into a 503.</summary>
public sealed class LedgerRefusedException(string message) : Exception(message);

/// <summary>The ledger's own rules or stored data broke an invariant: a fault to investigate,
/// answered 500 with a trace id for that event alone.</summary>
public sealed class LedgerInvariantException(string message) : Exception(message);
