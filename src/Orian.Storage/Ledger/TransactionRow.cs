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

    public const string Columns =
        "id, version, payload_hash, payload_key, status, result, result_detail, direction, txn_type, scheme_id, account_no, amount, currency, exponent, " +
        "effect_account, effect_currency, effect_exponent, effect_held, effect_posted, effect_counter, effect_counter_is_account, flags, secure_auth_result, created_at, updated_at";

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

    /// <summary>The parameters of an insert or update of this row (SQLite binds one row at a time).</summary>
    public static object Parameters(TransactionWrite write)
    {
        var s = write.State;
        return new
        {
            s.Id,
            s.Version,
            s.PayloadHash,
            PayloadKey = s.PayloadKeyId,
            s.Status,
            s.Result,
            s.ResultDetail,
            s.Direction,
            s.TxnType,
            s.SchemeId,
            s.AccountNo,
            Amount = s.Amount?.Minor,
            Currency = s.Amount?.Currency,
            Exponent = s.Amount?.Exponent,
            EffectAccount = s.Effect.AccountNo,
            EffectCurrency = s.Effect.Currency,
            EffectExponent = s.Effect.Exponent,
            EffectHeld = s.Effect.Held,
            EffectPosted = s.Effect.Posted,
            EffectCounter = s.Effect.CounterAccount,
            EffectCounterIsAccount = s.Effect.CounterIsAccount,
            Flags = (int)s.Flags,
            s.SecureAuthResult,
            write.ExpectedVersion,
            write.At,
        };
    }
}
