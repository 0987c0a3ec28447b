using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orian.Tests.Support;

namespace Orian.Tests.Api;

/// <summary>
/// The OpenAPI document the running service serves is the one committed in <c>docs/openapi.json</c>,
/// byte for byte: an endpoint, an answer or a model changed without the document fails here.
/// <c>scripts/openapi.sh</c> rewrites the file (this test, with <c>ORIAN_WRITE_OPENAPI=1</c>).
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static string Committed => Path.Combine(Repository.Root, "docs", "openapi.json");

    [Test]
    public async Task TheServedDocumentIsTheCommittedOne()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await service.Anonymous.GetAsync("/openapi/v1.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "served without credentials: it holds no secret");
        var served = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n").TrimEnd() + "\n";
        using (JsonDocument.Parse(served))
        {
            // a JSON document, whatever else
        }

        if (Environment.GetEnvironmentVariable("ORIAN_WRITE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Committed, served);
            Assert.Pass($"wrote {Committed}");
        }

        var committed = File.Exists(Committed) ? (await File.ReadAllTextAsync(Committed)).ReplaceLineEndings("\n") : "";
        Assert.That(served, Is.EqualTo(committed),
            "The API changed and docs/openapi.json did not: run scripts/openapi.sh and commit the document (review what changed first).");
    }

    [Test]
    public async Task TheDocumentIsBuiltOnceAndThenServedFromMemory()
    {
        await using var service = await TestService.StartSqliteAsync();
        var renders = service.Services.GetRequiredService<Orian.Service.Endpoints.ApiDocument.Renders>();
        var answers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await service.Anonymous.GetAsync("/openapi/v1.json");
            Assert.That((int)response.StatusCode, Is.EqualTo(200));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.That(renders.Count, Is.EqualTo(1), "built for the first request only");
        Assert.That(answers.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task TheReferencePageIsServedInDevelopmentOnly()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await service.Anonymous.GetAsync("/scalar/");
        Assert.That((int)response.StatusCode, Is.EqualTo(404), "the tests run the service as Production");
    }
}
