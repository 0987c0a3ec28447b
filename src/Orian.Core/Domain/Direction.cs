namespace Orian.Domain;

/// <summary><c>txn_type.direction</c>: DEBIT takes money from the payer's PPS account, CREDIT gives
/// money to the payee's.</summary>
public enum Direction : byte
{
    None = 0,
    Unknown,
    Debit,
    Credit,
}
