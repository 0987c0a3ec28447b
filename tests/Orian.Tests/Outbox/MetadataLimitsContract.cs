using System.Net;
using System.Text;
using System.Text.Json;
using Orian.Tests.Support;

namespace Orian.Tests.Outbox;

/// <summary>Instruction-link metadata at and beyond each of the Orchestrator's limits (50 keys,
/// 40-character names, 500-character values), on each provider.</summary>
[TestFixtureSource(typeof(TestProviders), nameof(TestProviders.All))]
public sealed class MetadataLimitsContract<TProvider> : ProviderFixture<TProvider>
    where TProvider : ITestProvider, new()
{
    private static string Link(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var entries = string.Join(",", metadata.Select(e => $"{JsonSerializer.Serialize(e.Key)}:{JsonSerializer.Serialize(e.Value)}"));
        return "{\"order_ref\":\"O-1\",\"instruction_ref\":\"I-1\",\"metadata\":{" + entries + "}}";
    }

    private static Dictionary<string, string> Full() =>
        Enumerable.Range(1, 50).ToDictionary(i => $"k{i:00}".PadRight(40, 'n'), i => new string((char)('a' + (i % 26)), 500) + "");

    private static async Task<HttpResponseMessage> PutAsync(TestService service, string json) =>
        await service.Operator.PutAsync("/v1/instruction-links/TX-M", new StringContent(json, Encoding.UTF8, "application/json"));

    [Test]
    public async Task MetadataAtEveryLimitIsStoredAndReadBackExactly()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var metadata = Full();
        metadata[metadata.Keys.First()] = "line one\nline two: é ü \ud83d\ude00".PadRight(500, '.'); // 500 UTF-16 characters
        using var response = await PutAsync(service, Link(metadata));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var read = (await service.GetJsonOrNullAsync("/v1/instruction-links/TX-M"))!.Value.GetProperty("metadata");
        var back = read.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.That(back, Is.EquivalentTo(metadata));
    }

    [Test]
    public async Task FiftyOneKeysIsA400NamingTheFirstKeyTooMany()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var metadata = Full().Append(new("one-too-many", "v"));
        await AssertRefusedAsync(service, database, Link(metadata), "metadata.one-too-many");
    }

    [Test]
    public async Task AKeyOfFortyOneCharactersIsA400NamingIt()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        var key = new string('k', 41);
        await AssertRefusedAsync(service, database, Link([new("fine", "v"), new(key, "v")]), $"metadata.{key}");
    }

    [Test]
    public async Task AValueOfFiveHundredAndOneCharactersIsA400NamingItsKey()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        await AssertRefusedAsync(service, database, Link([new("long", new string('v', 501))]), "metadata.long");
    }

    [Test]
    public async Task ARepeatedKeyIsA400NamingIt()
    {
        var database = await CreateDatabaseAsync();
        await using var service = await database.StartServiceAsync();
        await AssertRefusedAsync(service, database, Link([new("twice", "a"), new("twice", "b")]), "metadata.twice");
    }

    private static async Task AssertRefusedAsync(TestService service, TestDatabase database, string json, string field)
    {
        using var response = await PutAsync(service, json);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await TestService.JsonAsync(response);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo(field));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM instruction_links"), Is.Zero);
    }
}
