using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orian.Api;
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

    /// <summary>What the service answers has the shape the document gives it: every required member
    /// present, every member present of its documented type, for each shape of the ingress route's 200
    /// (a notification, an authorisation request, a re-sent one) and the operator reads after them.</summary>
    [Test]
    public async Task TheAnswersHaveTheShapesTheDocumentGivesThem()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Committed));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        async Task<string> CheckAsync(HttpResponseMessage response, string path, string method)
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
            var schema = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty("200")
                .GetProperty("content").GetProperty("application/json").GetProperty("schema");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var problems = new List<string>();
            var matched = Conforms(body.RootElement, schema, schemas, "$", problems);
            Assert.That(matched, Is.Not.Null, $"{method} {path} answered a shape the document does not give it:\n{string.Join("\n", problems)}");
            return matched!;
        }

        using (var notification = await service.PutAsync(new Txn { Id = "DOC-1", Status = "COMPLETE", Direction = "CREDIT", Amount = 5000 }))
        {
            Assert.That(await CheckAsync(notification, "/v2/transactions/{id}", "put"), Is.EqualTo("IngestResponse"));
        }

        var request = new Txn { Id = "DOC-2", Status = "AUTHORISATION_REQUESTED", Result = null, Amount = 100 };
        foreach (var _ in new[] { "first", "re-sent" })
        {
            using var decided = await service.PutAsync(request);
            Assert.That(await CheckAsync(decided, "/v2/transactions/{id}", "put"), Is.EqualTo("OrianAuthorisationAnswerModel"));
        }

        foreach (var (path, route) in new[] { ("/v1/accounts/ACC-1", "/v1/accounts/{accountNo}"), ("/v1/accounts/ACC-1/journal", "/v1/accounts/{accountNo}/journal"),
                     ("/v1/accounts/ACC-1/decisions", "/v1/accounts/{accountNo}/decisions"), ("/v1/transactions/DOC-2", "/v1/transactions/{id}"), ("/v1/status", "/v1/status") })
        {
            using var read = await service.Operator.GetAsync(path);
            await CheckAsync(read, route, "get");
        }
    }

    /// <summary>The name of the schema <paramref name="value"/> conforms to (the branch of a <c>oneOf</c>),
    /// or null, with what did not conform in <paramref name="problems"/>: required members, and the JSON
    /// type of each member present. Enough to catch a document that lies; not a full JSON Schema validator.</summary>
    private static string? Conforms(JsonElement value, JsonElement schema, JsonElement schemas, string at, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Conforms(value, schemas.GetProperty(name), schemas, at, problems) is null ? null : name;
        }

        if (schema.TryGetProperty("oneOf", out var branches))
        {
            var matches = branches.EnumerateArray().Select(b => Conforms(value, b, schemas, at, problems)).Where(m => m is not null).ToList();
            return matches.Count == 1 ? matches[0] : Fail(problems, $"{at}: {matches.Count} branches of oneOf match");
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            var actual = value.ValueKind switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            };
            if (!types.Contains(actual) && !(actual == "integer" && types.Contains("number")))
            {
                return Fail(problems, $"{at}: {actual}, documented {string.Join(" | ", types)}");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var member in required.EnumerateArray().Select(r => r.GetString()!).Where(m => !value.TryGetProperty(m, out _)))
                {
                    return Fail(problems, $"{at}.{member}: required, absent");
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (value.TryGetProperty(property.Name, out var member) && Conforms(member, property.Value, schemas, $"{at}.{property.Name}", problems) is null)
                    {
                        return null;
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Conforms(item, items, schemas, $"{at}[{i++}]", problems) is null)
                {
                    return null;
                }
            }
        }

        return "";
    }

    private static string? Fail(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }

    [Test]
    public async Task TheReferencePageIsServedInDevelopmentOnly()
    {
        await using var service = await TestService.StartSqliteAsync();
        using var response = await service.Anonymous.GetAsync("/scalar/");
        Assert.That((int)response.StatusCode, Is.EqualTo(404), "the tests run the service as Production");
    }
}
