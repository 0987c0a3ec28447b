using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>
/// Every storage feature over one provider's database: what the service registers, and what tests
/// open directly. Disposing it closes the database.
/// </summary>
public sealed class OrianStorage : IAsyncDisposable
{
    public OrianStorage(SqlDatabase database)
    {
        Database = database;
        Schema = new SchemaMigrator(database);
        Ledger = new LedgerStore(database);
        Reads = new LedgerReads(database, Schema);
        Authorisation = new AuthorisationAdmin(database);
        Queue = new OutboxQueue(database);
        Endpoints = new WebhookEndpoints(database);
        Deliveries = new DeliveriesAdmin(database);
        Links = new InstructionLinks(database);
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

    /// <summary>Opens the named provider's database (see <see cref="StorageServices.Providers"/>).</summary>
    public static OrianStorage Open(string provider, string connectionString, string? contentRoot = null) =>
        new(StorageServices.Find(provider).Create(connectionString, contentRoot ?? Directory.GetCurrentDirectory()));

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
