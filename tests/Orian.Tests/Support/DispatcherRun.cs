using Orian.Service.Delivery;

namespace Orian.Tests.Support;

/// <summary>The dispatcher's real loops (<see cref="WebhookDispatcher.RunAsync"/>), running until
/// disposed: tests drive what production runs, on a clock they move.</summary>
internal sealed class DispatcherRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private DispatcherRun(WebhookDispatcher dispatcher)
    {
        Dispatcher = dispatcher;
        _running = dispatcher.RunAsync(_stop.Token);
    }

    public WebhookDispatcher Dispatcher { get; }

    public static DispatcherRun Start(WebhookDispatcher dispatcher) => new(dispatcher);

    /// <summary>Waits until a fan-out round has run since now, then until the claim loop has turned
    /// twice with nothing claimed and nothing the dispatcher took still unrecorded: whatever was due
    /// after what the test just changed (a clock moved, a delivery queued, an event fanned out) is
    /// settled, and so is what settling it made due.</summary>
    public async Task SettledAsync(string what = "the dispatcher settles what is due")
    {
        var fanOuts = Dispatcher.FanOutRounds;
        await Until.TrueAsync(() => Dispatcher.FanOutRounds > fanOuts, "a fan-out round, begun after now");
        while (true)
        {
            var (rounds, claimed) = (Dispatcher.ClaimRounds, Dispatcher.Claimed);
            await Until.TrueAsync(() => Dispatcher.ClaimRounds >= rounds + 2 && Dispatcher.InFlight == 0, what);
            if (Dispatcher.Claimed == claimed)
            {
                return; // two whole claims found nothing due: what one delivery's outcome made due is done too
            }
        }
    }

    /// <summary>The loops started, run until <see cref="SettledAsync"/>, and stopped: what one turn of
    /// the production loops does with what is due now.</summary>
    public static async Task OnceAsync(WebhookDispatcher dispatcher)
    {
        await using var run = Start(dispatcher);
        await run.SettledAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
