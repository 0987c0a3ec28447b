using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// Every storage feature over one provider's database: what the service registers, and what tests
/// open directly. Disposing it closes the database.
/// </summary>
public sealed class OrianStorage : IAsyncDisposable
{
    public OrianStorage(SqlDatabase database, ISecretProtector secrets, Microsoft.Extensions.Logging.ILoggerFactory? logs = null)
    {
        Database = database;
        Secrets = secrets;
        Schema = new SchemaMigrator(database, logs?.CreateLogger("Orian.Storage.SchemaMigrator"));
        Ledger = new LedgerStore(database);
        Reads = new LedgerReads(database, Schema);
        Authorisation = new AuthorisationAdmin(database);
        Queue = new OutboxQueue(database, secrets);
        Endpoints = new WebhookEndpoints(database, secrets);
        Deliveries = new DeliveriesAdmin(database);
        Links = new InstructionLinks(database);
        ApiKeys = new ApiKeys(database, secrets);
        Audit = new AuditTrail(database);
        KeyRing = new DatabaseKeyRing(database);
        Bodies = new StoredBodies(database);
        OutboxHistory = new OutboxRetention(database);
    }

    public SqlDatabase Database { get; }

    /// <summary>The provider's name (<c>sqlite</c>, <c>postgres</c>, <c>sqlserver</c>).</summary>
    public string Provider => Database.Name;

    public SchemaMigrator Schema { get; }
    public LedgerStore Ledger { get; }
    public LedgerReads Reads { get; }
    public AuthorisationAdmin Authorisation { get; }
    public OutboxQueue Queue { get; }
    public WebhookEndpoints Endpoints { get; }
    public DeliveriesAdmin Deliveries { get; }
    public InstructionLinks Links { get; }
    public ApiKeys ApiKeys { get; }
    public AuditTrail Audit { get; }

    /// <summary>Stored bodies and payload hashes: re-keying, retention, holds.</summary>
    public StoredBodies Bodies { get; }

    /// <summary>The outbox's settled history past its retention period, purged.</summary>
    public OutboxRetention OutboxHistory { get; }

    /// <summary>The Data Protection key ring, kept in this database.</summary>
    public DatabaseKeyRing KeyRing { get; }

    /// <summary>How secrets are encrypted at rest.</summary>
    public ISecretProtector Secrets { get; }

    /// <summary>Opens the named provider's database (see <see cref="StorageServices.Providers"/>).
    /// Without <paramref name="secrets"/>, secrets are encrypted with keys this process alone holds.</summary>
    public static OrianStorage Open(string provider, string connectionString, string? contentRoot = null, ISecretProtector? secrets = null) =>
        new(StorageServices.Find(provider).Create(connectionString, contentRoot ?? Directory.GetCurrentDirectory()), secrets ?? DataProtectionSecrets.Ephemeral());

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
