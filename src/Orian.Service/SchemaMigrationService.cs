using Orian.Storage;

namespace Orian.Service;

/// <summary>Brings the database schema up to date before the service takes traffic.</summary>
internal sealed class SchemaMigrationService(OrianStorage storage, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.Schema.MigrateAsync(cancellationToken);
        // Once the database ring has been moved (it holds no key), the pass below need not try each
        // stored secret against it: a start-up then reads every secret once, not decrypts each.
        if (storage.Secrets.ReadsPreviousRing && await storage.KeyRing.CountAsync(cancellationToken) == 0)
        {
            storage.Secrets.ForgetPreviousRing();
        }

        var protectedNow = await storage.Endpoints.ProtectStoredSecretsAsync(cancellationToken);
        if (protectedNow > 0)
        {
            Log.SecretsProtected(logger, protectedNow);
        }

        // Every secret is now under the current ring: the ring an older build kept in the database
        // (when the ring has moved to a folder) is deleted, and nothing in clear is read any more.
        if (storage.Secrets.ReadsPreviousRing && await storage.KeyRing.DeleteAllAsync(cancellationToken) is var deleted and > 0)
        {
            Log.DatabaseKeyRingDeleted(logger, deleted);
        }

        storage.Secrets.Seal();

        var status = await storage.Schema.GetStatusAsync(cancellationToken);
        Log.StorageReady(logger, storage.Provider, status.Applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
