namespace Orian.Domain;

/// <summary>The three amounts of one phase (<c>authorisation.txn_amounts</c> or
/// <c>clearing.txn_amounts</c>). Any of them may be absent.</summary>
public readonly record struct TxnAmounts(Money? Requested, Money? Cardholder, Money? CardholderFinal)
{
    public bool IsEmpty => Requested is null && Cardholder is null && CardholderFinal is null;

    /// <summary>The amount that moves the account: the cardholder final amount, or, if PPS left it
    /// out, the cardholder amount (both are in the account's currency).</summary>
    public Money? Actual => CardholderFinal ?? Cardholder;
}
