namespace Orian.Storage.Sqlite;

/// <summary>
/// The turns on SQLite's one writer connection. A waiting decision goes before waiting notification
/// batches and outbox writes, so it waits for at most the one transaction in progress; after
/// <see cref="UrgentInARow"/> urgent turns in a row while ordinary work waits, ordinary work gets one,
/// so a flood of decisions delays notifications but never stops them. Within each kind, first come
/// first served. A waiter whose token is cancelled leaves the queue and is skipped.
/// </summary>
internal sealed class WriterTurns
{
    /// <summary>Urgent turns granted in a row before a waiting ordinary one is let in.</summary>
    public const int UrgentInARow = 8;

    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _urgent = new();
    private readonly Queue<TaskCompletionSource> _ordinary = new();
    private bool _held;
    private int _urgentRun;

    /// <summary>Waits for the writer; the caller must <see cref="Release"/> it once granted.</summary>
    public async ValueTask EnterAsync(bool urgent, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        lock (_lock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_held)
            {
                _held = true;
                _urgentRun = urgent ? _urgentRun + 1 : 0;
                return;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgent ? _urgent : _ordinary).Enqueue(turn);
        }

        // A turn is either granted (TrySetResult in Release) or cancelled here, never both: whichever
        // completes the source first wins, and Release skips a cancelled one.
        using var registration = cancellationToken.Register(static t => ((TaskCompletionSource)t!).TrySetCanceled(), turn);
        await turn.Task.ConfigureAwait(false);
    }

    /// <summary>Hands the writer to the next waiter (urgent first, within the fairness bound), or frees it.</summary>
    public void Release()
    {
        lock (_lock)
        {
            while (true)
            {
                var ordinaryDue = _urgentRun >= UrgentInARow && _ordinary.Count > 0;
                var (queue, urgent) = !ordinaryDue && _urgent.Count > 0 ? (_urgent, true) : (_ordinary, false);
                if (!queue.TryDequeue(out var next))
                {
                    _held = false;
                    _urgentRun = 0;
                    return;
                }

                if (next.TrySetResult())
                {
                    _urgentRun = urgent ? _urgentRun + 1 : 0;
                    return;
                }
            }
        }
    }

    /// <summary>Waiters of each kind (for tests).</summary>
    public (int Urgent, int Ordinary) Waiting
    {
        get
        {
            lock (_lock)
            {
                return (_urgent.Count, _ordinary.Count);
            }
        }
    }
}
