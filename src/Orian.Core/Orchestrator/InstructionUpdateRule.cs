namespace Orian.Orchestrator;

/// <summary>What a link has told its instruction so far: the last status queued and the newest
/// transaction version it has seen (null and null for a link that has told nothing yet).</summary>
public readonly record struct LinkProgress(string? LastStatus, long? LastVersion);

/// <summary>
/// Whether a linked transaction reaching a version calls for an instruction update. The one rule
/// the link write and the fan-out share:
/// <list type="bullet">
/// <item>a version no newer than the newest seen changes nothing (versions arrive out of order);</item>
/// <item>a newer version is remembered; it queues its mapped status (<see cref="InstructionStatus.Map"/>)
/// only when that status exists and differs from the last one queued, so the instruction hears each
/// change once and never moves backwards.</item>
/// </list>
/// </summary>
public static class InstructionUpdateRule
{
    /// <returns>The link's progress afterwards, and the status to queue (null: nothing to send).</returns>
    public static (LinkProgress Next, string? Queue) Decide(LinkProgress seen, long version, string status, string? result)
    {
        if (seen.LastVersion is { } newest && version <= newest)
        {
            return (seen, null);
        }

        var mapped = InstructionStatus.Map(status, result);
        if (mapped is null || mapped == seen.LastStatus)
        {
            return (seen with { LastVersion = version }, null);
        }

        return (new LinkProgress(mapped, version), mapped);
    }
}
