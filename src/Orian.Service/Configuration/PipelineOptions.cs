using System.ComponentModel.DataAnnotations;

namespace Orian.Service.Configuration;

/// <summary><c>Orian:Pipeline</c>: the partitions between the endpoint and the database.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Orian:Pipeline";

    /// <summary>Number of partitions, each a bounded channel with one writer. Events for one account
    /// always land in the same partition. Default: the processor count.</summary>
    [Range(1, 256)]
    public int Partitions { get; set; } = Environment.ProcessorCount;

    /// <summary>Events a partition may hold before it answers 503. Default 2,048.</summary>
    [Range(1, 1_000_000)]
    public int PartitionCapacity { get; set; } = 2048;

    /// <summary>Most events committed in one database transaction. Default 256.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Most notifications committed in one transaction while the partition is deciding
    /// authorisations (a decision in the last second): a decision on an account that a notification
    /// batch holds waits for that batch, so it is kept short then. Default 32.</summary>
    [Range(1, 10_000)]
    public int MaxBatchBesideDecisions { get; set; } = 32;

    /// <summary>How long a worker waits for more events before committing a small batch. 0 commits
    /// whatever is there at once: under load, batches form by themselves while the previous one
    /// commits, and lingering only adds latency (measured in benchmarks/README.md). Default 0.</summary>
    [Range(0, 1000)]
    public int BatchLingerMs { get; set; }
}
