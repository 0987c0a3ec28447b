using System.Diagnostics;

namespace Orian.Tests.Support;

/// <summary>Waits for something the code under test brings about in the background (a pipeline
/// delivering, a worker committing). The condition ends the wait; the guard only turns a hang into
/// a failure, and asserts nothing about speed.</summary>
internal static class Until
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > Guard)
            {
                Assert.Fail($"still waiting, after {Guard.TotalSeconds:0} s, for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);
}
