namespace Orian.Tests.Support;

/// <summary>A clock the test moves by hand. Only the wall clock is manual: timers still run in real
/// time, so request timeouts behave as in production while schedules are tested exactly. With
/// <paramref name="manualTimestamps"/>, elapsed times (<see cref="TimeProvider.GetElapsedTime(long)"/>)
/// follow the manual clock too, so a test can make an answer "slow" without waiting for it.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start, bool manualTimestamps = false) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override long TimestampFrequency => manualTimestamps ? TimeSpan.TicksPerSecond : base.TimestampFrequency;

    public override long GetTimestamp() => manualTimestamps ? Interlocked.Read(ref _ticks) : base.GetTimestamp();
}
