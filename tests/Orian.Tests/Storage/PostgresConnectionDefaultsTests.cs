using Orian.Storage.Postgres;

namespace Orian.Tests.Storage;

/// <summary>Orian's defaults for a PostgreSQL connection string fill what it leaves unset and never
/// override what it names: behind pgbouncer in transaction mode, prepared statements must be off.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    [Test]
    public void UnsetSettingsGetOrianDefaults()
    {
        var tuned = PostgresDatabase.Tuned("Host=db;Username=orian");
        Assert.That((tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages, tuned.NoResetOnClose, tuned.Options),
            Is.EqualTo((64, 2, true, "-c plan_cache_mode=force_custom_plan")));
    }

    [TestCase("Max Auto Prepare=0")]
    [TestCase("MaxAutoPrepare=0")]
    [TestCase("max auto prepare=0")]
    public void AutoPrepareNamedAsOffStaysOff(string setting)
    {
        var tuned = PostgresDatabase.Tuned($"Host=db;Username=orian;{setting}");
        Assert.That(tuned.MaxAutoPrepare, Is.Zero);
    }

    [Test]
    public void NamedSettingsAreKeptAsGiven()
    {
        var tuned = PostgresDatabase.Tuned("Host=db;Max Auto Prepare=8;No Reset On Close=false;Options=-c jit=off");
        Assert.That((tuned.MaxAutoPrepare, tuned.NoResetOnClose, tuned.Options), Is.EqualTo((8, false, "-c jit=off")));
    }
}
