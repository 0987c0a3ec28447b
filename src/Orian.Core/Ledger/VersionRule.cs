using System.Text.Json;

namespace Orian.Ledger;

/// <summary>
/// The version rule as a pure function: higher than the version applied, applied; lower, stale;
/// equal with the same bytes or the same JSON value written differently, duplicate; equal with
/// another value, conflict.
/// </summary>
/// <remarks>
/// "The same bytes" is decided by the keyed payload hash (<see cref="PayloadKeys"/>). "The same
/// value written differently" compares the stored bodies, which are redacted
/// (<see cref="Edge.StoredBody"/>): two bodies that differ only in a masked digit or a removed member
/// look alike there, so their keyed redaction digests must agree too. A body stored before redactions
/// were recorded has none, and is compared as it always was; a body purged by retention compares as
/// different (a conflict, which changes nothing), while a re-send of the same bytes is still a
/// duplicate by its hash.
/// </remarks>
internal static class VersionRule
{
    /// <param name="current">The transaction as it stands in the batch (null: never seen).</param>
    /// <param name="appliedBody">The stored body of <paramref name="current"/>'s version, when the
    /// bytes differ and it is needed.</param>
    public static VersionOutcome Classify(TransactionState? current, PendingEvent pending, Func<AppliedBody?> appliedBody)
    {
        var version = pending.Event.Version;
        if (current is null || version > current.Version)
        {
            return VersionOutcome.Applied;
        }

        if (version < current.Version)
        {
            return VersionOutcome.Stale;
        }

        if (pending.HasBytesOf(current.PayloadHash, current.PayloadKeyId))
        {
            return VersionOutcome.Duplicate;
        }

        return appliedBody() is { Json: { } json } applied
            && SameJson(json, pending.RawJson)
            && (applied.RedactedHash is null || pending.HasRedactionsOf(applied.RedactedHash, applied.KeyId))
            ? VersionOutcome.Duplicate
            : VersionOutcome.Conflict;
    }

    /// <summary>The same JSON value. A stored body that no longer parses (written before the edge
    /// refused such bodies) compares as different: a conflict to look at, never an exception that
    /// would fail the event on every retry.</summary>
    private static bool SameJson(string a, string b)
    {
        try
        {
            using var left = JsonDocument.Parse(a);
            using var right = JsonDocument.Parse(b);
            return JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
