using Orian.Domain;
using Orian.Ledger;

namespace Orian.Storage;

/// <summary>A <c>transactions</c> row as Dapper reads it (column names match after underscores).</summary>
internal sealed class TransactionRow
{
    public string Id { get; set; } = "";
    public long Version { get; set; }
    public byte[] PayloadHash { get; set; } = [];
    public string? PayloadKey { get; set; }
    public string Status { get; set; } = "";
    public string? Result { get; set; }
    public string? ResultDetail { get; set; }
    public string? Direction { get; set; }
    public string? TxnType { get; set; }
    public string? SchemeId { get; set; }
    public string? AccountNo { get; set; }
    public long? Amount { get; set; }
    public string? Currency { get; set; }
    public int? Exponent { get; set; }
    public string? EffectAccount { get; set; }
    public string? EffectCurrency { get; set; }
    public int EffectExponent { get; set; }
    public long EffectHeld { get; set; }
    public long EffectPosted { get; set; }
    public string? EffectCounter { get; set; }
    public bool EffectCounterIsAccount { get; set; }
    public int Flags { get; set; }
    public string? SecureAuthResult { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The stored columns, from the table's map.</summary>
    public static readonly string Columns = LedgerTables.Transactions.SelectList;

    public TransactionState ToState() => new()
    {
        Id = Id,
        Version = Version,
        PayloadHash = PayloadHash,
        PayloadKeyId = PayloadKey,
        Status = Status,
        Result = Result,
        ResultDetail = ResultDetail,
        Direction = Direction,
        TxnType = TxnType,
        SchemeId = SchemeId,
        AccountNo = AccountNo,
        Amount = Amount is { } a && Currency is { } c ? new Money(a, c, Exponent ?? 0) : null,
        Effect = new LedgerEffect(EffectAccount, EffectCurrency, EffectExponent, EffectHeld, EffectPosted, EffectCounter, EffectCounterIsAccount),
        Flags = (EventFlags)Flags,
        SecureAuthResult = SecureAuthResult,
    };
}
