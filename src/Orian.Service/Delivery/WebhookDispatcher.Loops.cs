using System.Threading.Channels;
using Orian.Delivery;
using Orian.Service.Configuration;
using Orian.Storage;

namespace Orian.Service.Delivery;

/// <summary>The loops <see cref="WebhookDispatcher.RunAsync"/> runs side by side.</summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>The state the loops of <see cref="RunAsync"/> share: the lanes (what each endpoint
    /// holds), and what is claimed and not yet recorded (the claims' capacity).</summary>
    private sealed class Pipeline
    {
        private readonly WebhookDispatcher d;
        private readonly ChannelWriter<Made> _made;
        private readonly CancellationToken _stop;
        private int _unrecorded;
        private int _liveUnrecorded;

        public int InFlight => Volatile.Read(ref _unrecorded) + Volatile.Read(ref _liveUnrecorded);

        public Pipeline(WebhookDispatcher dispatcher, ChannelWriter<Made> made, CancellationToken stop)
        {
            d = dispatcher;
            _made = made;
            _stop = stop;
            Lanes = new(d._options.MaxConcurrency, d._options.MaxConcurrencyPerEndpoint, d._options.LiveDepthPerEndpoint, SendAsync, stop);
        }

        public DeliveryLanes<Leased> Lanes { get; }

        public bool Stopping => _stop.IsCancellationRequested;

        /// <summary>Claimed deliveries this instance holds at most (not yet recorded): enough to keep
        /// every sender busy while the next batch is claimed and the last one recorded.</summary>
        private int Capacity => ClaimCapacity(d._options);

        private static int ClaimCapacity(OutboxOptions options) => 2 * options.MaxConcurrency;

        /// <summary>Outcomes waiting for the recorder, at most: every delivery taken (claimed or live)
        /// counts until it is recorded, so the recorder's channel never holds more than both capacities.</summary>
        public static int Holding(OutboxOptions options) => ClaimCapacity(options) + LiveCapacityOf(options);

        private void RingClaims() => d._signal.RingDeliveries();

        public async Task FanOutLoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var fanned = 0;
                try
                {
                    fanned = await d.FanOutAsync(d._time.GetUtcNow(), stop);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    Log.DispatchFailed(d._logger, e, "fan-out");
                }

                Interlocked.Increment(ref d._fanOutRounds);

                if (fanned > 0)
                {
                    RingClaims(); // new deliveries (or events with no subscriber: the claim finds nothing)
                }

                if (fanned >= d._options.BatchSize)
                {
                    continue; // more waiting
                }

                if (fanned > 0)
                {
                    // Events are arriving: let a few more gather rather than run a transaction each.
                    await Task.Delay(Linger, d._time, stop);
                    continue;
                }

                await d._signal.WaitAsync(TimeSpan.FromMilliseconds(d._options.PollIntervalMs), d._time, stop);
            }
        }

        public async Task ClaimLoopAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var room = Capacity - Volatile.Read(ref _unrecorded);
                var want = Math.Min(d._options.BatchSize, room);
                var claimed = 0;
                if (want >= Math.Max(1, Math.Min(d._options.BatchSize, Capacity) / 4)) // claim in batches, not a delivery at a time
                {
                    try
                    {
                        claimed = await ClaimAsync(want, stop);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        Log.DispatchFailed(d._logger, e, "claim");
                    }
                }

                Interlocked.Increment(ref d._claimRounds);
                if (claimed == 0 || claimed < want)
                {
                    if (claimed > 0)
                    {
                        // Work is flowing: let a few slots free up rather than claim one delivery
                        // per transaction (on SQLite every claim takes a turn on the one writer).
                        await Task.Delay(Linger, d._time, stop);
                    }

                    // Nothing more due now, or no room: wait for new deliveries, a free slot, a
                    // recorded batch or the poll interval (retries falling due).
                    await d._signal.WaitForDeliveriesAsync(TimeSpan.FromMilliseconds(d._options.PollIntervalMs), d._time, stop);
                }
            }
        }

        /// <summary>One claim: the claimed deliveries a lane holds count against its endpoint's share
        /// (live ones do not: claimed ones are sent first, see <see cref="DeliveryLanes{T}"/>).</summary>
        private async Task<int> ClaimAsync(int want, CancellationToken stop)
        {
            var now = d._time.GetUtcNow();
            var (owner, until) = d.NewLease(now);
            var limits = new ClaimLimits(want, d._options.MaxConcurrencyPerEndpoint, d._orchestrator.Enabled) { Busy = Lanes.Busy(), Skip = d._breakers.Open() };
            var claimed = await d._store.ClaimDueAsync(owner, now, until, limits, stop);
            Interlocked.Add(ref _unrecorded, claimed.Count);
            Interlocked.Add(ref d._claimed, claimed.Count);
            foreach (var c in claimed)
            {
                Lanes.EnqueueClaimed(c.EndpointId, new Leased(owner, until, c));
            }

            return claimed.Count;
        }

        /// <summary>What a lane does with one delivery: process it (never throws but when stopping)
        /// and hand the outcome to the recorder.</summary>
        private async Task SendAsync(Leased leased, CancellationToken stop)
        {
            AttemptOutcome? outcome;
            try
            {
                outcome = await d.ProcessAsync(leased, stop);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The lease could not be checked (the database is away): not sent; the lease
                // runs out and the delivery is claimed again.
                Log.DispatchFailed(d._logger, e, "lease check");
                outcome = null;
            }
            catch (OperationCanceledException)
            {
                outcome = null;
            }

            if (outcome is null)
            {
                Unrecorded(leased.Delivery, -1);
            }
            else
            {
                if (!_made.TryWrite(new Made(leased.Owner, outcome, leased.Delivery, leased.Lease)))
                {
                    // Cannot happen while the capacities hold (see Holding); if it did, the attempt
                    // goes unrecorded and the delivery out again once its lease runs out.
                    Log.DispatchFailed(d._logger, new InvalidOperationException("the recorder's channel is full"), "record");
                    Unrecorded(leased.Delivery, -1);
                }
            }

            if (!leased.Delivery.Live)
            {
                RingClaims(); // a slot of this endpoint is free: claim on, without waiting for the record
            }
        }

        private void Unrecorded(ClaimedDelivery delivery, int change) =>
            Interlocked.Add(ref delivery.Live ? ref _liveUnrecorded : ref _unrecorded, change);

        /// <summary>Live deliveries taken and not yet recorded, at most: the lanes send faster than a
        /// slow database records, and what waits for the recorder is held in memory, so beyond this
        /// the batches leave their deliveries to the claims until the recorder catches up. At least
        /// twice one endpoint's lane (<see cref="OutboxOptions.LiveDepthPerEndpoint"/>): an endpoint
        /// whose deliveries pile up in its lane (a slow one, before its circuit opens) never takes every
        /// place, pushing every other endpoint's deliveries to the claims.</summary>
        private int LiveCapacity => LiveCapacityOf(d._options);

        private static int LiveCapacityOf(OutboxOptions options) =>
            Math.Max(4 * Math.Max(options.MaxConcurrency, options.BatchSize), 2 * options.LiveDepthPerEndpoint);

        /// <summary>Takes room for one live delivery of <paramref name="endpointId"/>: in its lane, and
        /// among what waits to be recorded. Never waits.</summary>
        public bool TryTakeLive(string endpointId)
        {
            if (Interlocked.Increment(ref _liveUnrecorded) > LiveCapacity)
            {
                Interlocked.Decrement(ref _liveUnrecorded);
                return false;
            }

            if (Lanes.TryReserve(endpointId))
            {
                return true;
            }

            Interlocked.Decrement(ref _liveUnrecorded);
            return false;
        }

        /// <summary>Gives back what <see cref="TryTakeLive"/> took (the batch did not commit).</summary>
        public void GiveBackLive(string endpointId)
        {
            Lanes.Unreserve(endpointId);
            Interlocked.Decrement(ref _liveUnrecorded);
        }

        public async Task RecordLoopAsync(ChannelReader<Made> made, CancellationToken stop)
        {
            var batch = new List<Made>(d._options.BatchSize);
            while (await made.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < d._options.BatchSize && made.TryRead(out var m))
                {
                    batch.Add(m);
                }

                await d.RecordAsync([.. batch], stop);
                if (batch.Count < d._options.BatchSize && !stop.IsCancellationRequested)
                {
                    // A partial batch: let more attempts gather before the next transaction.
                    await Task.Delay(Linger, d._time, CancellationToken.None);
                }

                foreach (var m in batch)
                {
                    Unrecorded(m.Delivery, -1);
                }

                if (batch.Any(m => !m.Delivery.Live))
                {
                    RingClaims(); // room for claims again
                }
            }
        }
    }
}
