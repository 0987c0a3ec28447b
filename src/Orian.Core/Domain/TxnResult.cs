namespace Orian.Domain;

/// <summary>The ORIAN <c>txn_result.result</c>: the authorisation decision. <see cref="None"/> when
/// the field is absent, <see cref="Unknown"/> for a value PPS added after we were written.</summary>
public enum TxnResult : byte
{
    None = 0,
    Unknown,
    Approved,
    Declined,
    PartiallyApproved,
    ApprovedWithException,
}

public static class TxnResultExtensions
{
    /// <summary>Approved in the sense of <c>docs/ledger.md</c>: the money moves (fully or in part).</summary>
    public static bool IsApproved(this TxnResult result) =>
        result is TxnResult.Approved or TxnResult.PartiallyApproved or TxnResult.ApprovedWithException;
}
