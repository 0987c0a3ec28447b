using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Orian.Service.Endpoints;

/// <summary>Source-generated JSON for what only the service writes: problem bodies. The API's own bodies are in <see cref="Orian.Api.OrianApiJsonContext"/>,
/// shared with the CLI; both are in the HTTP options' resolver chain.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class OrianJsonContext : JsonSerializerContext;
