using Orian.Authorisation;
using Orian.Domain;
using Orian.Ledger;
using Orian.Wire;

namespace Orian.Storage;

/// <summary>An <c>authorisation_decisions</c> row, as read and as written.</summary>
public sealed class DecisionRow
{
    public string TransactionId { get; set; } = "";
    public long Version { get; set; }
    public string? AccountNo { get; set; }
    public string Result { get; set; } = "";
    public string ResultDetail { get; set; } = "";
    public string? ResultMessage { get; set; }
    public long? ApprovedAmount { get; set; }
    public long HoldAmount { get; set; }
    public long? Amount { get; set; }
    public string? Currency { get; set; }
    public int? Exponent { get; set; }
    public string Reason { get; set; } = "";
    public double LatencyMs { get; set; }
    public bool TimedOut { get; set; }
    public bool Revoked { get; set; }
    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>When the request answers the stand-in unless this decision has won by then.</summary>
    public DateTimeOffset? DeadlineAt { get; set; }

    /// <summary>When the decision was confirmed as its request's answer; null until then (and for ever
    /// if it never was: the reconciler revokes it once the deadline has passed).</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The stored columns, from the table's map.</summary>
    internal static readonly string Columns = LedgerTables.Decisions.SelectList;

    public Decision ToDecision() => new(
        OrianParser.ParseResult(Result),
        ResultDetail,
        ResultMessage,
        ApprovedAmount is { } approved && Currency is { } currency ? new Money(approved, currency, Exponent ?? 0) : null,
        HoldAmount,
        Reason);

    public DecisionState ToState() => new(ToDecision(), Revoked, ConfirmedAt);
}
