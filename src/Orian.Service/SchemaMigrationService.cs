using Orian.Storage;

namespace Orian.Service;

/// <summary>Brings the database schema up to date before the service takes traffic.</summary>
internal sealed class SchemaMigrationService(LedgerDatabase database, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        var status = await database.GetSchemaStatusAsync(cancellationToken);
        Log.StorageReady(logger, database.Provider.ToString(), status.Applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
