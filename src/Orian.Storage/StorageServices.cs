using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orian.Configuration;
using Orian.Ledger;
using Orian.Storage.Sql;

namespace Orian.Storage;

/// <summary>Registers the storage features on the provider <c>Orian:Storage:Provider</c> names. The
/// providers are the <see cref="ISqlProvider"/> classes of this assembly, one per provider folder:
/// nothing outside this project names a database.</summary>
public static class StorageServices
{
    /// <summary>Every provider this build carries, by name.</summary>
    public static IReadOnlyDictionary<string, ISqlProvider> Providers { get; } = typeof(ISqlProvider).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISqlProvider).IsAssignableFrom(t))
        .Select(t => (ISqlProvider)Activator.CreateInstance(t)!)
        .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The meters and activity sources the database drivers publish themselves (Npgsql's
    /// command spans and connection metrics), for an exporter to subscribe to by name.</summary>
    public static IReadOnlyList<string> DriverTelemetry { get; } = ["Npgsql"];

    public static ISqlProvider Find(string name) =>
        Providers.TryGetValue(name, out var provider)
            ? provider
            : throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"{StorageOptions.Section}:Provider: unknown storage provider '{name}'; use one of {string.Join(", ", Providers.Keys.Order(StringComparer.Ordinal))}."]);

    public static IServiceCollection AddOrianStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(StorageOptions.Section);
        services.AddValidatedOptions<KeyRingOptions, KeyRingOptionsValidator>(KeyRingOptions.Section);
        // Secrets at rest: Data Protection. Its key ring lives in Orian:DataProtection:KeysFolder (every
        // instance shares the folder), its keys encrypted with Orian:DataProtection:CertificatePath when
        // set; outside Development the folder is required (the service's validator). Without a folder
        // (Development), the ring is kept in this database. With a folder, a ring an older build kept in
        // the database is still read until the start-up pass has written every secret again, and then
        // deleted (SchemaMigrationService).
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        var ring = KeyRingOptions.From(configuration);
        if (ring.Folder is { } folder)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(folder));
            if (ring.CertificateUsable && ring.LoadCertificate() is { } certificate)
            {
                dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
            }

            services.AddSingleton<ISecretProtector>(sp => new DataProtectionSecrets(sp.GetRequiredService<IDataProtectionProvider>(), PreviousRing(sp)));
        }
        else
        {
            services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) => o.XmlRepository = new DeferredKeyRing(sp));
            services.AddSingleton<ISecretProtector>(sp => new DataProtectionSecrets(sp.GetRequiredService<IDataProtectionProvider>()));
        }

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var contentRoot = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
            return new OrianStorage(Find(options.Provider).Create(options.ConnectionString, contentRoot, options.OperatorReadConnectionString), sp.GetRequiredService<ISecretProtector>(),
                sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
        });
        services.AddSingleton(sp => sp.GetRequiredService<OrianStorage>().Schema);
        services.AddSingleton(sp => sp.GetRequiredService<OrianStorage>().Ledger);
        services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<LedgerStore>());
        services.AddSingleton<ILedgerReader>(sp => sp.GetRequiredService<OrianStorage>().Reads);
        services.AddSingleton<IAuthorisationAdmin>(sp => sp.GetRequiredService<OrianStorage>().Authorisation);
        services.AddSingleton<IOutboxQueue>(sp => sp.GetRequiredService<OrianStorage>().Queue);
        services.AddSingleton<IWebhookEndpointStore>(sp => sp.GetRequiredService<OrianStorage>().Endpoints);
        services.AddSingleton<IDeliveryAdmin>(sp => sp.GetRequiredService<OrianStorage>().Deliveries);
        services.AddSingleton<IInstructionLinkStore>(sp => sp.GetRequiredService<OrianStorage>().Links);
        services.AddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<OrianStorage>().ApiKeys);
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<OrianStorage>().Audit);
        services.AddSingleton(sp => sp.GetRequiredService<OrianStorage>().Bodies);
        services.AddSingleton(sp => sp.GetRequiredService<OrianStorage>().OutboxHistory);
        return services;
    }

    private const string ApplicationName = "orian";

    /// <summary>A provider that only reads the keys an older build kept in the database: it never
    /// makes a key, so nothing new is ever encrypted under that ring.</summary>
    private static IDataProtectionProvider PreviousRing(IServiceProvider services)
    {
        var previous = new ServiceCollection();
        previous.AddLogging();
        previous.AddDataProtection().SetApplicationName(ApplicationName).DisableAutomaticKeyGeneration();
        previous.AddOptions<KeyManagementOptions>().Configure(o => o.XmlRepository = new DeferredKeyRing(services));
        return previous.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    /// <summary>The database key ring, found when Data Protection first reads it (after the service
    /// provider is built, so the storage that needs Data Protection can be built first).</summary>
    private sealed class DeferredKeyRing(IServiceProvider services) : IXmlRepository
    {
        private IXmlRepository Ring => services.GetRequiredService<OrianStorage>().KeyRing;

        public IReadOnlyCollection<System.Xml.Linq.XElement> GetAllElements() => Ring.GetAllElements();

        public void StoreElement(System.Xml.Linq.XElement element, string friendlyName) => Ring.StoreElement(element, friendlyName);
    }
}
