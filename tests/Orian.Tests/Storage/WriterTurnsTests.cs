using Orian.Storage.Sqlite;

namespace Orian.Tests.Storage;

/// <summary>SQLite's one writer: a waiting decision takes the next turn, ordinary work is never
/// starved, and a waiter that gives up is skipped.</summary>
public sealed class WriterTurnsTests
{
    [Test]
    public async Task AWaitingDecisionGoesBeforeOrdinaryWorkThatQueuedFirst()
    {
        var turns = new WriterTurns();
        await turns.EnterAsync(urgent: false, CancellationToken.None); // a notification batch writing
        var order = new List<string>();
        var first = Enter(turns, false, "batch-1", order);
        var second = Enter(turns, false, "batch-2", order);
        var decision = Enter(turns, true, "decision", order);
        Assert.That(turns.Waiting, Is.EqualTo((1, 2)));

        turns.Release();
        await decision;
        turns.Release();
        await first;
        turns.Release();
        await second;
        turns.Release();
        Assert.That(order, Is.EqualTo(new[] { "decision", "batch-1", "batch-2" }));
        Assert.That(turns.Waiting, Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task AFloodOfDecisionsLetsWaitingOrdinaryWorkInAfterABoundedRun()
    {
        var turns = new WriterTurns();
        await turns.EnterAsync(urgent: true, CancellationToken.None); // the first urgent turn of the run
        var waiting = new Dictionary<Task, string> { [turns.EnterAsync(urgent: false, CancellationToken.None).AsTask()] = "batch" };
        for (var i = 0; i < 2 * WriterTurns.UrgentInARow; i++)
        {
            waiting[turns.EnterAsync(urgent: true, CancellationToken.None).AsTask()] = $"d{i}";
        }

        // Each release grants exactly one turn: whichever waiter completes next is the one it chose.
        var order = new List<string>();
        while (waiting.Count > 0)
        {
            turns.Release();
            var granted = await Task.WhenAny(waiting.Keys).WaitAsync(TimeSpan.FromSeconds(60));
            order.Add(waiting[granted]);
            waiting.Remove(granted);
        }

        turns.Release();
        Assert.That(order.IndexOf("batch"), Is.EqualTo(WriterTurns.UrgentInARow - 1), "after the holder and UrgentInARow - 1 more decisions");
        Assert.That(order.Where(n => n != "batch"), Is.EqualTo(Enumerable.Range(0, 2 * WriterTurns.UrgentInARow).Select(i => $"d{i}")), "decisions first come, first served");
        Assert.That(turns.Waiting, Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task AWaiterThatGivesUpIsSkipped()
    {
        var turns = new WriterTurns();
        await turns.EnterAsync(urgent: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var order = new List<string>();
        var gaveUp = turns.EnterAsync(urgent: true, cancel.Token).AsTask();
        var next = Enter(turns, false, "next", order);
        await cancel.CancelAsync();
        Assert.That(async () => await gaveUp, Throws.InstanceOf<OperationCanceledException>());

        turns.Release();
        await next;
        Assert.That(order, Is.EqualTo(new[] { "next" }));
        turns.Release();
        await turns.EnterAsync(urgent: false, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(60)); // free again
    }

    private static async Task Enter(WriterTurns turns, bool urgent, string name, List<string> order)
    {
        await turns.EnterAsync(urgent, CancellationToken.None);
        lock (order)
        {
            order.Add(name);
        }
    }
}
