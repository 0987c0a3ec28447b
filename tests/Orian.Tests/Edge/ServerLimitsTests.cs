using System.Net;
using System.Text;
using Orian.Tests.Support;

namespace Orian.Tests.Edge;

/// <summary>The server's own limits come from configuration (Orian:Server) and hold before any
/// endpoint runs.</summary>
public sealed class ServerLimitsTests : ProviderFixture<Sqlite>
{
    [Test]
    public async Task TooManyHeadersAreRefusedByTheServerAndNothingIsStored()
    {
        var database = await CreateDatabaseAsync("limits");
        await using var service = await database.StartServiceAsync(settings: new() { ["Orian:Server:MaxRequestHeaderCount"] = "12" });
        var txn = new Txn { Id = "HDR" };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/transactions/HDR") { Content = new StringContent(txn.Json, Encoding.UTF8, "application/json") };
        for (var i = 0; i < 20; i++)
        {
            request.Headers.TryAddWithoutValidation($"x-filler-{i}", "1");
        }

        using var response = await service.Pps.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM transaction_versions"), Is.Zero);

        using var normal = await service.PutAsync(txn); // within the limit, the same event is applied
        Assert.That(normal.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnOverlongRequestLineIsRefusedByTheServer()
    {
        var database = await CreateDatabaseAsync("limits");
        await using var service = await database.StartServiceAsync(settings: new() { ["Orian:Server:MaxRequestLineBytes"] = "512" });
        using var response = await service.Operator.GetAsync("/v1/accounts/" + new string('a', 1000));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestUriTooLong));
    }

    [Test]
    public async Task AnInvalidServerLimitStopsTheServiceAtStartUp()
    {
        var database = await CreateDatabaseAsync("limits");
        Assert.That(async () => await database.StartServiceAsync(settings: new() { ["Orian:Server:MaxRequestHeaderCount"] = "0" }),
            Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>());
    }
}
