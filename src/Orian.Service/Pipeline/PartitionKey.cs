using Orian.Wire;

namespace Orian.Service.Pipeline;

/// <summary>
/// Which partition an event belongs to: a stable hash (FNV-1a, the same in every process and every
/// run, unlike <see cref="string.GetHashCode()"/>) of the PPS account it moves, so that all events of
/// one account are applied by one worker, in arrival order. Events naming no account hash by
/// transaction id, which still keeps the versions of one transaction together.
/// </summary>
internal static class PartitionKey
{
    public static int Of(OrianEvent evt, int partitions) => (int)(Fnv1a(evt.AccountNo ?? evt.Id) % (uint)partitions);

    public static uint Fnv1a(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
