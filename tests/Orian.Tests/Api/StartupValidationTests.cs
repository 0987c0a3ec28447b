using Microsoft.Extensions.Options;
using Orian.Tests.Support;

namespace Orian.Tests.Api;

/// <summary>A bad configuration stops the service at start-up with a message naming the setting.</summary>
public sealed class StartupValidationTests
{
    private static Dictionary<string, string?> Sqlite() => new()
    {
        ["Orian:Storage:Provider"] = "sqlite",
        ["Orian:Storage:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"orian-cfg-{Guid.NewGuid():N}.db")}",
    };

    [Test]
    public void OutsideDevelopmentMissingPpsCredentialsStopStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Ingress:Username"] = "";
        settings["Orian:Ingress:Password"] = "";
        var start = () => TestService.StartAsync(settings, environment: "Production");
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__Ingress__Username"));
    }

    [Test]
    public void OutsideDevelopmentAMissingOperatorKeyStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Admin:ApiKey"] = "";
        var start = () => TestService.StartAsync(settings, environment: "Production");
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__Admin__ApiKey"));
    }

    [Test]
    public void OutsideDevelopmentAMissingPayloadHashKeyStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:CardData:HashKey"] = "";
        var start = () => TestService.StartAsync(settings, environment: "Production");
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__CardData__HashKey"));
    }

    [TestCase("HashKey", "c2hvcnQ=", "at least 32 bytes")]
    [TestCase("HashKeyId", "no spaces", "key id must be")]
    [TestCase("PreviousHashKeys:0:KeyId", "test-1", "configured twice")]
    public void ABadPayloadHashKeyStopsStartUpEvenInDevelopment(string setting, string value, string message)
    {
        var settings = Sqlite();
        settings["__environment"] = "Development";
        settings[$"Orian:CardData:{setting}"] = value;
        if (setting.StartsWith("Previous", StringComparison.Ordinal))
        {
            settings["Orian:CardData:PreviousHashKeys:0:Key"] = TestService.HashKey;
        }

        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains(message));
    }

    [Test]
    public void AnUnknownStorageProviderStopsStartUpNamingTheOnesThereAre()
    {
        var settings = Sqlite();
        settings["Orian:Storage:Provider"] = "oracle";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains("Orian__Storage__Provider").And.Message.Contains("postgres, sqlite, sqlserver"));
    }

    [TestCase("sqlite", "Data Source=x.db;Colour=blue", "keyword 'colour'")]
    [TestCase("postgres", "Host=127.0.0.1;Port=5000;Password=s3cret-pw;Target Session Attributes=primary", "multiple hosts")]
    [TestCase("postgres", "Host=127.0.0.1;Port=not-a-port;Password=s3cret-pw", "Orian__Storage__ConnectionString")]
    public void AConnectionStringTheDriverRefusesStopsStartUpWithoutShowingIt(string provider, string connectionString, string message)
    {
        // Found running Orian behind HAProxy: one host with a target session other than "any" is
        // refused by Npgsql, which used to surface as an unhandled exception from the first resolve.
        var settings = Sqlite();
        settings["Orian:Storage:Provider"] = provider;
        settings["Orian:Storage:ConnectionString"] = connectionString;
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains("Orian__Storage__ConnectionString").And.Message.Contains(message).And.Message.Not.Contains("s3cret-pw"));
    }

    [Test]
    public void OperatorReadsFromAStandbyAreForPostgresOnly()
    {
        var settings = Sqlite();
        settings["Orian:Storage:OperatorReadConnectionString"] = "Host=127.0.0.1;Port=5432;Target Session Attributes=prefer-standby";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("OperatorReadConnectionString is for the postgres provider only"));
    }

    [Test]
    public void ALeaseShorterThanItsWorkStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Outbox:LeaseSeconds"] = "20";
        settings["Orian:Outbox:RequestTimeoutMs"] = "10000";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("LeaseSeconds"));
        settings["Orian:Outbox:LeaseSeconds"] = "25";
        Assert.That(async () => await (await TestService.StartAsync(settings)).DisposeAsync(), Throws.Nothing, "2 x 10 s + 5 s fits");
    }

    [Test]
    public void AnOutOfRangePipelineSettingStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Pipeline:Partitions"] = "0";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("The field Orian:Pipeline:Partitions must be between"),
            "a data annotation's failure names the setting, not the C# member");
    }

    [Test]
    public void AMalformedSigningSecretStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Ingress:SigningSecret"] = "whsec_not base64!";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("SigningSecret"));
    }

    [Test]
    public void AMalformedRetryScheduleStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Outbox:RetrySchedule"] = "5s,soon";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("RetrySchedule"));
    }

    [TestCase("5s,5m,30m,2h,5h,10h,10h", 7, 36_000)]
    [TestCase("500ms", 1, 0.5)]
    [TestCase("", 0, 0)]
    public void RetrySchedulesParseWithUnits(string schedule, int count, double lastSeconds)
    {
        var waits = Orian.Service.Configuration.OutboxOptions.ParseSchedule(schedule);
        Assert.That(waits, Has.Count.EqualTo(count));
        if (count > 0)
        {
            Assert.That(waits[^1].TotalSeconds, Is.EqualTo(lastSeconds));
        }
    }

    [Test]
    public void AnOrchestratorWithoutKeysStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Orchestrator:BaseUrl"] = "https://orchestrator.example";
        settings["Orian:Orchestrator:AccountId"] = "not-a-uuid";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains("Orian__Orchestrator__PrivateKey").And.Message.Contains("AccountId"));
    }

    [Test]
    public void OutsideDevelopmentAnOrchestratorOverPlainHttpStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Orchestrator:BaseUrl"] = "http://orchestrator.example";
        var start = () => TestService.StartAsync(settings, environment: "Production");
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("BaseUrl must be https outside Development"));
    }

    [Test]
    public void AnOrchestratorAllowListThatIsNotCidrsStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:Orchestrator:AllowedPrivateNetworks"] = "10.0.0.0/8,intranet";
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains("Orian__Orchestrator__AllowedPrivateNetworks").And.Message.Contains("'intranet'"));
    }

    [Test]
    public void OutsideDevelopmentAKeyRingInTheDatabaseStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:DataProtection:KeysFolder"] = "";
        var start = () => TestService.StartAsync(settings, environment: "Production");
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__DataProtection__KeysFolder"));
    }

    [Test]
    public void AKeyRingCertificateWithoutItsPrivateKeyStopsStartUp()
    {
        var settings = Sqlite();
        settings["Orian:DataProtection:CertificatePath"] = TestCertificates.Instance.AuthorityPath; // PEM, no key
        var start = () => TestService.StartAsync(settings);
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__DataProtection__CertificatePath"));
    }

    [Test]
    public void WhereTheServiceRunsCannotBeConfiguredAway()
    {
        // The rules that are stricter outside Development learn where they run from the host; no
        // setting of the section itself can pass for Development.
        var settings = Sqlite();
        settings["Orian:Ingress:Username"] = "";
        settings["Orian:Ingress:Password"] = "";
        settings["Orian:Ingress:Development"] = "true";
        var start = () => TestService.StartAsync(settings, environment: "Production");
        Assert.That(start, Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Orian__Ingress__Username"));
    }

    [Test]
    public async Task EverySectionIsValidatedOneWayByItsGeneratedValidator()
    {
        // Every options type with a section, in the service and in storage, has exactly one validator:
        // the generated one under the section's name (no reflection-based data annotations, no lambdas).
        await using var service = await TestService.StartSqliteAsync();
        var sections = new[] { typeof(Orian.Service.Configuration.IngressOptions).Assembly, typeof(Orian.Storage.StorageOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetField("Section") is { IsLiteral: true })
            .ToList();
        Assert.That(sections, Has.Count.GreaterThanOrEqualTo(13), string.Join(", ", sections.Select(t => t.Name)));
        foreach (var type in sections)
        {
            var validators = service.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(type)).ToList();
            Assert.That(validators.Select(v => v!.GetType().Name), Is.EqualTo(new[] { "SectionValidator`1" }), type.Name);
            var generated = type.Assembly.GetType($"{type.Namespace}.{type.Name}Validator") ?? typeof(Orian.Service.OrianApp).Assembly.GetType($"Orian.Service.Configuration.{type.Name}Validator");
            Assert.That(generated?.GetMethod("Validate")?.GetCustomAttributes(false).Select(a => a.GetType().Name), Does.Contain("GeneratedCodeAttribute"), type.Name);
        }
    }
}
