using Orian.Domain;

namespace Orian.Authorisation;

/// <summary>
/// An authorisation decision: what PPS is told (<see cref="Result"/>, <see cref="Detail"/>,
/// <see cref="Message"/>, <see cref="ApprovedAmount"/> for partial approvals), what is held, and the
/// <see cref="Reason"/> support reads when asked "why was my card declined".
/// </summary>
public sealed record Decision(TxnResult Result, string Detail, string? Message, Money? ApprovedAmount, long HoldAmount, string Reason)
{
    public static Decision Decline(string detail, string reason, string? message = null) =>
        new(TxnResult.Declined, detail, message, null, 0, reason);

    public string ResultText => Result switch
    {
        TxnResult.Approved => "APPROVED",
        TxnResult.PartiallyApproved => "PARTIALLY_APPROVED",
        TxnResult.Declined => "DECLINED",
        TxnResult.ApprovedWithException => "APPROVED_WITH_EXCEPTION",
        _ => throw new InvalidOperationException($"A decision cannot be {Result}."),
    };
}
