namespace Orian.Ledger;

/// <summary>A journal line either moves money (<see cref="Posting"/>, always paired with the opposite
/// line on a counter account) or changes a reservation (<see cref="Hold"/>, on the account alone).</summary>
public enum JournalKind : byte
{
    Posting = 1,
    Hold,
}

public static class JournalKindNames
{
    public static string ToWire(this JournalKind kind) => kind switch
    {
        JournalKind.Posting => "posting",
        JournalKind.Hold => "hold",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
