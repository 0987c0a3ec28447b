using Microsoft.AspNetCore.Http.HttpResults;
using Orian.Api;
using Orian.Security;
using Orian.Service.Diagnostics;
using Orian.Service.Pipeline;
using Orian.Service.Security;

namespace Orian.Service.Endpoints;

/// <summary><c>GET /v1/status</c>: the operator's one look at the service. It answers even when the
/// database does not (that is when it is needed most): the in-memory parts are always there, and
/// <c>database.reachable</c> says why the rest is missing.</summary>
internal static class StatusApi
{
    /// <summary>How long the database parts may take before the view answers without them.</summary>
    public static readonly TimeSpan DatabaseBudget = TimeSpan.FromSeconds(2);

    public static void MapStatusApi(this IEndpointRouteBuilder app) =>
        app.MapOperatorGroup("/v1").WithTags("Status").MapGet("/status", GetStatusAsync).WithName("GetStatus").Needs(OperatorRoles.StatusRead);

    /// <summary>What the status page reads (<c>[AsParameters]</c>).</summary>
    internal readonly record struct Sources(IngestPipeline Pipeline, OrianMetrics Metrics, ServiceGaugesReader Gauges, Orian.Storage.OrianStorage Storage, TimeProvider Time);

    private static async Task<Ok<StatusResponse>> GetStatusAsync([AsParameters] Sources sources, CancellationToken cancellationToken)
    {
        var (pipeline, metrics, gauges, storage, time) = sources;
        var recent = metrics.Recent.Snapshot();
        var started = time.GetTimestamp();
        ServiceGauges? read = null;
        string? error = null;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            budget.CancelAfter(DatabaseBudget);
            try
            {
                read = await gauges.ReadAsync(budget.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                error = e is OperationCanceledException ? $"no answer within {DatabaseBudget.TotalSeconds:0} s" : e.GetType().Name;
            }
        }

        var latency = read is null ? (double?)null : Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 3);
        return TypedResults.Ok(new StatusResponse(
            time.GetUtcNow(),
            Environment.MachineName,
            new DatabaseStatusModel(storage.Provider, read is not null, latency, error, storage.Database.Writer.Current, storage.Database.Writer.Since),
            [.. pipeline.QueueDepths().Select(q => new PartitionStatusModel(q.Partition, q.Authorisations, q.Notifications))],
            new EventRatesModel(Math.Round(recent.WindowSeconds, 3), Math.Round(recent.Events / recent.WindowSeconds, 3),
                recent.Applied, recent.Duplicate, recent.Stale, recent.Conflict, recent.Rejected),
            new DecisionStatsModel(recent.Decisions, recent.StandIns, Round(recent.DecisionP50), Round(recent.DecisionP99)),
            read is null ? null : new OutboxStatusModel(read.Unfanned, read.PendingDeliveries, read.OldestPendingAgeSeconds, read.DeadLetters,
                recent.Delivered, Round(recent.LagP50), Round(recent.LagP99), Orian.Delivery.Backlog.CountedUpTo),
            read?.OverdrawnAccounts));
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
