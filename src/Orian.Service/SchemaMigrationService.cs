using Orian.Storage;

namespace Orian.Service;

/// <summary>Brings the database schema up to date before anything else starts: in the host's
/// <em>starting</em> phase (<see cref="IHostedLifecycleService"/>), which every service finishes before
/// any service's <c>StartAsync</c> runs. So Data Protection reads its key ring (kept in the database in
/// Development) from a current schema, and no batch, reconciler or dispatcher meets an old one, whatever
/// the order services are registered in.</summary>
internal sealed class SchemaMigrationService(OrianStorage storage, ILogger<SchemaMigrationService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
