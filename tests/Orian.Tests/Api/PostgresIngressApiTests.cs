using System.Net;
using Orian.Tests.Support;

namespace Orian.Tests.Api;

[TestFixture]
public sealed class PostgresIngressApiTests : IngressApiContract
{
    private string _database = "";

    internal override async Task<TestService> StartAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("api");
        _database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        return await TestService.StartPostgresAsync(connectionString, services, settings);
    }

    [Test]
    public async Task ADatabaseOutageAnswers503AndNothingIsAcknowledgedUntilItIsBack()
    {
        await using var service = await StartAsync();
        using (var before = await service.PutAsync(new Txn { Id = "O1" }))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // A real outage: the database stops accepting connections and every session is cut.
        await PostgresServer.ExecuteAsAdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS false");
        await PostgresServer.ExecuteAsAdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database}'");
        try
        {
            using var during = await service.PutAsync(new Txn { Id = "O2" });
            Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(during.Headers.RetryAfter?.Delta, Is.Not.Null);
            Assert.That(during.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));

            using var ready = await service.Anonymous.GetAsync("/health/ready");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

            using var read = await service.Operator.GetAsync("/v1/accounts/ACC-1");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }
        finally
        {
            await PostgresServer.ExecuteAsAdminAsync($"ALTER DATABASE \"{_database}\" ALLOW_CONNECTIONS true");
        }

        // The refused event was never stored: resent after the outage, it is applied, not a duplicate.
        using var after = await service.PutAsync(new Txn { Id = "O2" });
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await TestService.JsonAsync(after)).GetProperty("outcome").GetString(), Is.EqualTo("applied"));
    }
}
