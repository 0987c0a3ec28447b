namespace Orian.Domain;

/// <summary>Things about an event an operator should see. A flagged event is still stored and
/// acknowledged; the flags say why it moved no money (or moved it unusually).</summary>
[Flags]
public enum EventFlags
{
    None = 0,
    /// <summary>A <c>txn_lifecycle_status</c> value we do not know: the ledger keeps the previous effect.</summary>
    UnknownStatus = 1 << 0,
    /// <summary>A <c>txn_result.result</c> value we do not know, or none where one is needed.</summary>
    UnknownResult = 1 << 1,
    /// <summary>A <c>txn_type.direction</c> value we do not know, or none on a financial event.</summary>
    UnknownDirection = 1 << 2,
    /// <summary>A financial event whose status needs an amount, but none was sent.</summary>
    MissingAmount = 1 << 3,
    /// <summary>A financial event that names no PPS account on the side the direction points to.</summary>
    MissingAccount = 1 << 4,
    /// <summary>The amount's currency differs from the account's: nothing is moved.</summary>
    CurrencyMismatch = 1 << 5,
    /// <summary>After this event the account's available balance is below zero.</summary>
    Overdrawn = 1 << 6,
    /// <summary>A <c>txn_secure_auth_result</c> value ORIAN does not list: kept, liability UNKNOWN.</summary>
    UnknownSecureAuthResult = 1 << 7,
}

public static class EventFlagsExtensions
{
    private static readonly (EventFlags Flag, string Name)[] Names =
    [
        (EventFlags.UnknownStatus, "unknown_status"),
        (EventFlags.UnknownResult, "unknown_result"),
        (EventFlags.UnknownDirection, "unknown_direction"),
        (EventFlags.MissingAmount, "missing_amount"),
        (EventFlags.MissingAccount, "missing_account"),
        (EventFlags.CurrencyMismatch, "currency_mismatch"),
        (EventFlags.Overdrawn, "overdrawn"),
        (EventFlags.UnknownSecureAuthResult, "unknown_secure_auth_result"),
    ];

    /// <summary>The flags as the snake_case names the APIs show.</summary>
    public static string[] ToNames(this EventFlags flags)
    {
        if (flags == EventFlags.None)
        {
            return [];
        }

        var names = new List<string>(2);
        foreach (var (flag, name) in Names)
        {
            if ((flags & flag) != 0)
            {
                names.Add(name);
            }
        }

        return [.. names];
    }
}
