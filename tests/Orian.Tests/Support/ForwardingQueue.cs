using Orian.Delivery;
using Orian.Storage;

namespace Orian.Tests.Support;

/// <summary>The real outbox queue, for a test store to change one step of (a record that fails, a
/// claim that dies after committing, a count of what the claims returned).</summary>
internal abstract class ForwardingQueue(IOutboxQueue inner) : IOutboxQueue
{
    public virtual Task<int> FanOutAsync(DateTimeOffset now, int limit, CancellationToken ct) => inner.FanOutAsync(now, limit, ct);

    public virtual Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimLimits limits, CancellationToken ct) =>
        inner.ClaimDueAsync(owner, now, leaseUntil, limits, ct);

    public virtual Task<IReadOnlyList<AttemptOutcome>> RecordAttemptsAsync(IReadOnlyList<(string Owner, AttemptOutcome Outcome)> attempts, CancellationToken ct) =>
        inner.RecordAttemptsAsync(attempts, ct);

    public virtual Task<IReadOnlyList<long>> RenewLeasesAsync(string owner, IReadOnlyList<long> ids, DateTimeOffset until, CancellationToken ct) =>
        inner.RenewLeasesAsync(owner, ids, until, ct);

    public virtual Task<bool> RenewLiveLeaseAsync(string owner, DateTimeOffset until, CancellationToken ct) =>
        inner.RenewLiveLeaseAsync(owner, until, ct);

    public virtual Task<EndpointTarget?> GetTargetAsync(string endpointId, CancellationToken ct) => inner.GetTargetAsync(endpointId, ct);
}
