using Orian.Tests.Support;

namespace Orian.Tests.Api;

[TestFixture]
public sealed class SqliteIngressApiTests : IngressApiContract
{
    internal override Task<TestService> StartAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null) =>
        TestService.StartSqliteAsync(services, settings);
}
