using Orian.Storage;

namespace Orian.Service;

/// <summary>Brings the database schema up to date before the service takes traffic.</summary>
internal sealed class SchemaMigrationService(OrianStorage storage, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.Schema.MigrateAsync(cancellationToken);
        var protectedNow = await storage.Endpoints.ProtectStoredSecretsAsync(cancellationToken);
        if (protectedNow > 0)
        {
            Log.SecretsProtected(logger, protectedNow);
        }

        var status = await storage.Schema.GetStatusAsync(cancellationToken);
        Log.StorageReady(logger, storage.Provider, status.Applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
