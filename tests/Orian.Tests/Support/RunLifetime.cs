using Orian.Tests.Support;

// No namespace: NUnit applies a set-up fixture to its namespace and below, and this one is for the whole run.
/// <summary>Run-wide set-up and tear-down: stops the PostgreSQL cluster the run may have started.</summary>
[SetUpFixture]
public sealed class RunLifetime
{
    [OneTimeTearDown]
    public void StopServers() => PostgresServer.StopIfStarted();
}
