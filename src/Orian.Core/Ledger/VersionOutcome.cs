namespace Orian.Ledger;

/// <summary>What the version rule made of one received version (<c>docs/ledger.md</c>).
/// Every outcome is acknowledged: PPS must not retry something that was handled.</summary>
public enum VersionOutcome : byte
{
    /// <summary>Higher than anything seen: the ledger now reflects this version.</summary>
    Applied = 1,
    /// <summary>The version already applied, with the same payload: nothing changed.</summary>
    Duplicate,
    /// <summary>Lower than the version applied: recorded, nothing changed.</summary>
    Stale,
    /// <summary>The version already applied, with a different payload: recorded for operators, nothing changed.</summary>
    Conflict,
}

public static class VersionOutcomeNames
{
    public static string ToWire(this VersionOutcome outcome) => outcome switch
    {
        VersionOutcome.Applied => "applied",
        VersionOutcome.Duplicate => "duplicate",
        VersionOutcome.Stale => "stale",
        VersionOutcome.Conflict => "conflict",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
