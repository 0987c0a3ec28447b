namespace Orian.Tests.Support;

/// <summary>A clock the test moves by hand. Only the wall clock is manual: timers still run in real
/// time, so request timeouts behave as in production while schedules are tested exactly.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
