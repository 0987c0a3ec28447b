using System.Threading.Channels;

namespace Orian.Service.Delivery;

/// <summary>Wakes the dispatcher right after a commit: <see cref="RingDeliveries"/> when deliveries
/// became due (a ledger batch that queued some, a re-drive, an instruction update queued by a link),
/// <see cref="Ring"/> when an event waits for the fan-out round (an instruction update a link write
/// queued, for the tenants subscribed to it). Polling is only the fallback.</summary>
internal sealed class OutboxSignal
{
    private readonly Channel<bool> _events = Doorbell();
    private readonly Channel<bool> _deliveries = Doorbell();

    private static Channel<bool> Doorbell() => Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Ring() => _events.Writer.TryWrite(true);

    public void RingDeliveries() => _deliveries.Writer.TryWrite(true);

    /// <summary>Returns when events were written, or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        WaitAsync(_events, timeout, time, cancellationToken);

    /// <summary>Returns when deliveries may be due, or after <paramref name="timeout"/>.</summary>
    public Task WaitForDeliveriesAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        WaitAsync(_deliveries, timeout, time, cancellationToken);

    private static async Task WaitAsync(Channel<bool> doorbell, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await doorbell.Reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed: look for due retries.
        }
    }
}
