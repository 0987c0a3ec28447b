using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orian.Api;
using Orian.Service.Security;
using Scalar.AspNetCore;

namespace Orian.Service.Endpoints;

/// <summary>
/// The API's OpenAPI document, built by the framework from the endpoints themselves (their typed
/// results, bodies and metadata), with what it cannot see added here: the three ways a caller
/// authenticates and, on each operation, which of them it takes and the operator role it needs.
/// Served at <see cref="Path"/>; <c>docs/openapi.json</c> is a copy that a test keeps identical, and
/// <c>scripts/openapi.sh</c> rewrites. Scalar's reference page over it is served in Development only.
/// </summary>
internal static class ApiDocument
{
    public const string Name = "v1";
    public const string Path = "/openapi/v1.json";

    /// <summary>The security schemes, by the names the document gives them.</summary>
    public const string PpsBasic = "pps_basic";
    public const string OperatorKey = "operator_key";
    public const string OperatorBearer = "operator_bearer";

    /// <summary>The extension naming the operator role an operation needs (or the alternatives).</summary>
    public const string RoleExtension = "x-orian-role";

    /// <summary>The body an operation reads, for the document only. Not <c>Accepts</c>: that would make
    /// routing answer a wrong content type itself (a generic 415, before authentication), where the
    /// endpoint answers its own problem (the edge's rules).</summary>
    public sealed record BodyDocumentation(Type Type, bool Required);

    /// <summary>Documents the JSON body this endpoint reads (it reads and checks it itself).</summary>
    public static RouteHandlerBuilder Documents<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.WithMetadata(new BodyDocumentation(typeof(T), required));

    /// <summary>A second shape an answer of this status may take (the document says <c>oneOf</c> the two).</summary>
    public sealed record AlternativeAnswer(int Status, Type Type, string Description);

    /// <summary>Documents that a <paramref name="status"/> answer may also be a <typeparamref name="T"/>
    /// (besides the type <c>Produces</c> names), and says when in <paramref name="description"/>.</summary>
    public static RouteHandlerBuilder AlsoAnswers<T>(this RouteHandlerBuilder builder, int status, string description) =>
        builder.WithMetadata(new AlternativeAnswer(status, typeof(T), description));

    /// <summary>How many times the document was built (it is built once per process, then served from memory).</summary>
    public sealed class Renders
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddSingleton<Renders>().AddOpenApi(Name, options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                context.ApplicationServices.GetRequiredService<Renders>().Add();
                document.Info = new OpenApiInfo
                {
                    Title = "Orian",
                    Version = "1",
                    Description = "PPS ORIAN v2 transaction events in (PUT /v2/transactions/{id}); the operator API under /v1.",
                };
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [PpsBasic] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "basic",
                        Description = "PPS's credentials on every event. When signing secrets are configured the event must " +
                            "also carry a Standard Webhooks signature of its body (webhook-id, webhook-timestamp, webhook-signature).",
                    },
                    [OperatorKey] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = OperatorAuthenticator.ApiKeyHeader,
                        Description = "An operator key (POST /v1/api-keys), holding the roles it was given.",
                    },
                    [OperatorBearer] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "A short-lived token from POST /v1/identity/hmac, holding its key's roles.",
                    },
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<BodyDocumentation>().LastOrDefault() is { } body)
                {
                    // A named schema in the components, as the framework's own bodies are, so that
                    // generated clients name the type.
                    var schema = await context.GetOrCreateSchemaAsync(body.Type, cancellationToken: cancellationToken);
                    context.Document!.AddComponent(body.Type.Name, schema);
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = body.Required,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new OpenApiMediaType
                            {
                                Schema = new OpenApiSchemaReference(body.Type.Name, context.Document),
                            },
                        },
                    };
                }

                foreach (var alternative in metadata.OfType<AlternativeAnswer>())
                {
                    var key = alternative.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    OpenApiMediaType? media = null;
                    if (operation.Responses?.TryGetValue(key, out var found) != true || found is not OpenApiResponse response
                        || response.Content?.TryGetValue("application/json", out media) != true || media?.Schema is not { } first)
                    {
                        throw new InvalidOperationException($"{context.Description.RelativePath}: AlsoAnswers needs a JSON {key} answer from Produces first.");
                    }

                    var schema = await context.GetOrCreateSchemaAsync(alternative.Type, cancellationToken: cancellationToken);
                    context.Document!.AddComponent(alternative.Type.Name, schema);
                    media!.Schema = new OpenApiSchema { OneOf = [first, new OpenApiSchemaReference(alternative.Type.Name, context.Document)] };
                    response.Description = alternative.Description;
                }

                var role = metadata.OfType<RequiredRole>().LastOrDefault();
                var path = context.Description.RelativePath ?? "";
                if (role is not null)
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OperatorKey, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OperatorBearer, context.Document)] = [] },
                    ];
                    operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    operation.Extensions[RoleExtension] = new JsonNodeExtension(role.Alternative is null
                        ? JsonValue.Create(role.Role)
                        : new JsonArray(JsonValue.Create(role.Role), JsonValue.Create(role.Alternative)));
                }
                else if (path.StartsWith("v2/", StringComparison.Ordinal))
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PpsBasic, context.Document)] = [] }];
                }
            });
        });

    /// <summary>The document, for everyone (it holds no secret); the reference page in Development.
    /// Building the document takes tens of milliseconds and it cannot change while the process runs, so
    /// the first answer is kept and every later request is served those bytes: an anonymous client
    /// asking for it in a loop costs a copy, not a build.</summary>
    public static void MapApiDocument(this WebApplication app)
    {
        // Wrapped around the document's own endpoint (no middleware in front of every request).
        app.MapOpenApi(Path).ExcludeFromDescription().Finally(endpoint =>
        {
            var build = endpoint.RequestDelegate ?? throw new InvalidOperationException("The OpenAPI endpoint has no request delegate.");
            byte[]? served = null;
            string? contentType = null;
            endpoint.RequestDelegate = async context =>
            {
                if (Volatile.Read(ref served) is { } bytes)
                {
                    context.Response.ContentType = contentType;
                    context.Response.ContentLength = bytes.Length;
                    await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
                    return;
                }

                var body = context.Response.Body;
                using var copy = new MemoryStream();
                context.Response.Body = copy;
                try
                {
                    await build(context);
                }
                finally
                {
                    context.Response.Body = body;
                }

                var built = copy.ToArray();
                if (context.Response.StatusCode == StatusCodes.Status200OK)
                {
                    contentType = context.Response.ContentType;
                    Volatile.Write(ref served, built);
                    context.Response.ContentLength = built.Length;
                }

                await body.WriteAsync(built, context.RequestAborted);
            };
        });
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/scalar", o => o.WithOpenApiRoutePattern(Path)).ExcludeFromDescription();
        }
    }
}
