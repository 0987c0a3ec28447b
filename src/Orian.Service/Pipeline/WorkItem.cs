using Orian.Ledger;

namespace Orian.Service.Pipeline;

/// <summary>An event waiting in a partition, and the request waiting for its commit.</summary>
internal sealed class WorkItem(PendingEvent pending)
{
    // RunContinuationsAsynchronously: the worker completes items in a loop; without it, each waiting
    // request's continuation (serialising a response) would run on the worker's thread first.
    private readonly TaskCompletionSource<ApplyResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingEvent Pending { get; } = WithTrace(pending);

    /// <summary>The span of the request that queued it (<c>orian.receive</c>), for the batch span's links.</summary>
    public System.Diagnostics.ActivityContext Trace { get; } = System.Diagnostics.Activity.Current?.Context ?? default;

    public Task<ApplyResult> Completion => _completion.Task;

    /// <summary>Stamps the event with its request's trace context when it is being traced, so the
    /// outbox events it causes (and their deliveries) continue that trace.</summary>
    private static PendingEvent WithTrace(PendingEvent pending)
    {
        if (System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C, Recorded: true } current
            && Orian.Service.Diagnostics.OrianActivities.Source.HasListeners())
        {
            pending.TraceParent = current.Id;
        }

        return pending;
    }

    public void Complete(ApplyResult result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
