using Orian.Domain;

namespace Orian.Wire;

/// <summary>
/// The fields of one ORIAN transaction version that the service acts on, as read by
/// <see cref="OrianParser"/>. Everything else PPS sends stays in the raw JSON we store beside it.
/// </summary>
public sealed class OrianEvent
{
    public required string Id { get; init; }
    public required long Version { get; init; }
    public required LifecycleStatus Status { get; init; }

    /// <summary>The status exactly as sent (kept for unknown values, which we store and flag).</summary>
    public required string StatusText { get; init; }

    public string? SchemeId { get; init; }
    public string? ProductClassId { get; init; }

    public string? TxnTypeCode { get; init; }
    public Direction Direction { get; init; }
    public string? DirectionText { get; init; }
    public bool Reversal { get; init; }

    /// <summary><c>txn_type.financial</c>; absent counts as financial (money is the safe assumption).</summary>
    public bool Financial { get; init; } = true;

    public TxnResult Result { get; init; }
    public string? ResultText { get; init; }
    public string? ResultDetail { get; init; }
    public string? ResultMessage { get; init; }
    public Money? ApprovedAmount { get; init; }

    public string? PayerAccountNo { get; init; }
    public string? PayeeAccountNo { get; init; }
    public string? MerchantCategory { get; init; }
    public string? MaskedPan { get; init; }

    /// <summary><c>acceptance.txn_secure_auth_result</c>, as sent (the 3-D Secure outcome).</summary>
    public string? SecureAuthResult { get; init; }

    public TxnAmounts Authorisation { get; init; }
    public TxnAmounts Clearing { get; init; }

    /// <summary>A financial transaction between two PPS accounts: the payer is debited, the payee
    /// credited, as one entry between them (ORIAN: "Where the Payee is a PPS account we would expect
    /// the balance to be credited ... where the Payer is a PPS account ... debited").</summary>
    public bool IsTransfer => Financial && PayerAccountNo is { } payer && PayeeAccountNo is { } payee && !string.Equals(payer, payee, StringComparison.Ordinal);

    /// <summary>The PPS account this event is decided on and filed under: the payer's for a debit or a
    /// transfer, the payee's for a credit.</summary>
    public string? AccountNo => Direction switch
    {
        _ when IsTransfer => PayerAccountNo,
        Direction.Debit => PayerAccountNo,
        Direction.Credit => PayeeAccountNo,
        _ => PayerAccountNo ?? PayeeAccountNo,
    };

    /// <summary>Every PPS account the event can move: its account, and a transfer's payee.</summary>
    public IEnumerable<string> TouchedAccounts()
    {
        if (AccountNo is { } account)
        {
            yield return account;
        }

        if (IsTransfer)
        {
            yield return PayeeAccountNo!;
        }
    }

    /// <summary>The amounts that count: clearing when present, which "always takes precedence" (ORIAN's own rule).</summary>
    public TxnAmounts EffectiveAmounts => Clearing.IsEmpty ? Authorisation : Clearing;
}
