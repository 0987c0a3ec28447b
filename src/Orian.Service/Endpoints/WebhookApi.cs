using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Orian.Api;
using Orian.Delivery;
using Orian.Edge;
using Orian.Outbox;
using Orian.Security;
using Orian.Service.Security;
using Orian.Storage;

namespace Orian.Service.Endpoints;

/// <summary>Operators' webhook API (requires <c>X-Api-Key</c>): tenant endpoints, and the deliveries
/// of the outbox with every attempt, including re-driving dead-lettered ones.</summary>
internal static class WebhookApi
{
    /// <summary>How long the old secret keeps signing after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxUrlLength = 2048;
    private const int MaxDescriptionLength = 500;

    public static void MapWebhookApi(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapOperatorGroup("/v1").WithTags("Webhook endpoints");
        endpoints.MapPost("/webhook-endpoints", CreateAsync).WithName("CreateWebhookEndpoint").Needs(OperatorRoles.WebhookWrite)
            .Documents<EndpointRequestModel>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        endpoints.MapGet("/webhook-endpoints", ListEndpointsAsync).WithName("ListWebhookEndpoints").Needs(OperatorRoles.WebhookRead);
        endpoints.MapGet("/webhook-endpoints/{id}", GetEndpointAsync).WithName("GetWebhookEndpoint").Needs(OperatorRoles.WebhookRead).ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapDelete("/webhook-endpoints/{id}", DeleteEndpointAsync).WithName("DeleteWebhookEndpoint").Needs(OperatorRoles.WebhookWrite).ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapPost("/webhook-endpoints/{id}/rotate-secret", RotateAsync).WithName("RotateWebhookSecret").Needs(OperatorRoles.WebhookWrite).ProducesProblem(StatusCodes.Status404NotFound);
        var deliveries = app.MapOperatorGroup("/v1").WithTags("Deliveries");
        deliveries.MapGet("/deliveries", ListDeliveriesAsync).WithName("ListDeliveries").Needs(OperatorRoles.DeliveryRead).ProducesProblem(StatusCodes.Status400BadRequest);
        deliveries.MapGet("/deliveries/stats", StatsAsync).WithName("GetDeliveryStats").Needs(OperatorRoles.DeliveryRead);
        deliveries.MapGet("/deliveries/{id:long}", GetDeliveryAsync).WithName("GetDelivery").Needs(OperatorRoles.DeliveryRead).ProducesProblem(StatusCodes.Status404NotFound);
        deliveries.MapPost("/deliveries/{id:long}/redrive", RedriveOneAsync).WithName("RedriveDelivery").Needs(OperatorRoles.DeliveryWrite).ProducesProblem(StatusCodes.Status404NotFound);
        deliveries.MapPost("/deliveries/redrive", RedriveAllAsync).WithName("RedriveDeadDeliveries").Needs(OperatorRoles.DeliveryWrite);
    }

    private static async Task<Ok<EndpointListResponse>> ListEndpointsAsync(IWebhookEndpointStore store, CancellationToken ct) =>
        TypedResults.Ok(new EndpointListResponse((await store.ListEndpointsAsync(ct)).Select(e => ToResponse(e, null)).ToList()));

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> GetEndpointAsync(string id, IWebhookEndpointStore store, CancellationToken ct) =>
        await store.GetEndpointAsync(id, ct) is { } e ? TypedResults.Ok(ToResponse(e, null)) : Problems.NotFound($"Webhook endpoint '{id}'");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteEndpointAsync(string id, HttpContext context, IWebhookEndpointStore store, TimeProvider time, CancellationToken ct) =>
        await store.DeleteEndpointAsync(id, OperatorIdentity.Of(context).At(time.GetUtcNow()), ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Webhook endpoint '{id}'");

    private static async Task<Results<Ok<DeliveryResponse>, ProblemHttpResult>> GetDeliveryAsync(long id, IDeliveryAdmin store, CancellationToken ct) =>
        await store.GetDeliveryAsync(id, ct) is { } d ? TypedResults.Ok(ToResponse(d.Delivery, d.Attempts)) : Problems.NotFound($"Delivery {id}");

    private static async Task<Results<Ok<RedriveResponse>, ProblemHttpResult>> RedriveOneAsync(
        long id, HttpContext context, IDeliveryAdmin store, TimeProvider time, Orian.Service.Delivery.OutboxSignal signal, CancellationToken ct)
    {
        var count = await store.RedriveAsync(id, OperatorIdentity.Of(context).At(time.GetUtcNow()), ct);
        signal.RingDeliveries();
        return count == 1 ? TypedResults.Ok(new RedriveResponse(count)) : Problems.NotFound($"Dead-lettered delivery {id}");
    }

    private static async Task<Ok<RedriveResponse>> RedriveAllAsync(HttpContext context, IDeliveryAdmin store, TimeProvider time, Orian.Service.Delivery.OutboxSignal signal, CancellationToken ct)
    {
        var count = await store.RedriveAsync(null, OperatorIdentity.Of(context).At(time.GetUtcNow()), ct);
        signal.RingDeliveries();
        return TypedResults.Ok(new RedriveResponse(count));
    }

    /// <summary>What creating an endpoint works with (<c>[AsParameters]</c>).</summary>
    internal readonly record struct CreateServices(
        IWebhookEndpointStore Store,
        TimeProvider Time,
        IHostEnvironment Environment,
        Microsoft.Extensions.Options.IOptions<Configuration.OutboxOptions> Outbox,
        Orian.Service.Delivery.Egress Egress);

    private static async Task<Results<Created<EndpointResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, [AsParameters] CreateServices services, CancellationToken cancellationToken)
    {
        var (store, time, environment, outbox, egress) = services;
        var (document, problem) = await RequestBody.ReadJsonObjectAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String
                || !TextRules.IsCleanText(urlElement.GetString(), MaxUrlLength)
                || !Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                return Problems.InvalidField("url", $"'url' is required: an absolute https URL of at most {MaxUrlLength} characters.");
            }

            if (WebhookUrls.Refusal(url, urlElement.GetString()!, environment.IsDevelopment() || outbox.Value.AllowInsecureHttp, egress) is { } refusal)
            {
                return Problems.InvalidField("url", refusal);
            }

            if (!root.TryGetProperty("events", out var eventsElement) || eventsElement.ValueKind != JsonValueKind.Array || eventsElement.GetArrayLength() == 0)
            {
                return Problems.InvalidField("events", $"'events' is required: a non-empty array of {string.Join(", ", EventTypes.All)}.");
            }

            var events = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var e in eventsElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String || !EventTypes.All.Contains(e.GetString()))
                {
                    return Problems.InvalidField("events", $"'{e}' is not an event type; use {string.Join(", ", EventTypes.All)}.");
                }

                events.Add(e.GetString()!);
            }

            string? description = null;
            if (root.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                if (d.ValueKind != JsonValueKind.String || !TextRules.IsCleanText(d.GetString(), MaxDescriptionLength, allowLineBreaks: true))
                {
                    return Problems.InvalidField("description", TextRules.Explain("description", MaxDescriptionLength, allowLineBreaks: true));
                }

                description = d.GetString();
            }

            var now = time.GetUtcNow();
            var endpoint = new WebhookEndpointRow
            {
                Id = "we_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
                Url = url.AbsoluteUri, // escaped form: percent-encodings stay encoded, never decoded into control characters
                Events = string.Join(',', events),
                Description = description,
                Secret = NewSecret(),
                Status = "enabled",
                CreatedAt = now,
                UpdatedAt = now,
            };
            await store.CreateEndpointAsync(endpoint, OperatorIdentity.Of(context).At(now), cancellationToken);
            return TypedResults.Created($"/v1/webhook-endpoints/{endpoint.Id}", ToResponse(endpoint, endpoint.Secret));
        }
    }

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> RotateAsync(string id, HttpContext context, IWebhookEndpointStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = NewSecret();
        if (!await store.RotateSecretAsync(id, secret, now + RotationOverlap, OperatorIdentity.Of(context).At(now), cancellationToken))
        {
            return Problems.NotFound($"Webhook endpoint '{id}'");
        }

        return TypedResults.Ok(ToResponse((await store.GetEndpointAsync(id, cancellationToken))!, secret));
    }

    /// <summary>The backlog: what waits, what is being sent, what is dead, and how old the oldest
    /// waiting delivery is, in total and per destination.</summary>
    private static async Task<Ok<DeliveryStatsResponse>> StatsAsync(IDeliveryAdmin store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Upstream first: an event moves from unfanned to pending to delivered or dead, so counting
        // the unfanned events before the deliveries never misses one that moves in between.
        var unfanned = (await store.GetBacklogAsync(Backlog.Exact, cancellationToken)).Unfanned;
        var rows = await store.GetStatsAsync(now, cancellationToken);
        double? Age(DateTimeOffset? oldest) => oldest is { } o ? Math.Round(Math.Max(0, (now - o).TotalSeconds), 3) : null;
        var oldestPending = rows.Select(r => r.OldestPendingAt).Where(o => o is not null).DefaultIfEmpty(null).Min();
        return TypedResults.Ok(new DeliveryStatsResponse(
            unfanned,
            rows.Sum(r => r.Pending),
            rows.Sum(r => r.Leased),
            rows.Sum(r => r.Dead),
            rows.Sum(r => r.Delivered),
            Age(oldestPending),
            rows.Select(r => new EndpointStatsModel(r.EndpointId, r.EndpointKind, r.Pending, r.Leased, r.Dead, r.Delivered, Age(r.OldestPendingAt))).ToList()));
    }

    private static async Task<Results<Ok<DeliveryListResponse>, ProblemHttpResult>> ListDeliveriesAsync(IDeliveryAdmin store, CancellationToken cancellationToken, string? state = null, long after = 0, int limit = 100)
    {
        if (state is not (null or "pending" or "delivered" or "dead"))
        {
            return Problems.InvalidField("state", "'state' must be pending, delivered or dead.");
        }

        if (limit is < 1 or > OperatorEndpoints.MaxPageSize)
        {
            return Problems.InvalidField("limit", $"'limit' must be between 1 and {OperatorEndpoints.MaxPageSize}.");
        }

        var rows = await store.ListDeliveriesAsync(state, after, limit, cancellationToken);
        return TypedResults.Ok(new DeliveryListResponse(rows.Select(r => ToResponse(r, null)).ToList(), rows.Count == limit ? rows[^1].Id : null));
    }

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in Base64.</summary>
    private static string NewSecret() => StandardWebhookSignature.SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static EndpointResponse ToResponse(WebhookEndpointRow e, string? secret) =>
        new(e.Id, WithoutUserInfo(e.Url), e.EventList, e.Description, e.Status, e.DisabledReason, e.CreatedAt, secret);

    /// <summary>A URL as operators may see it (<see cref="Orian.Outbox.WebhookUrl.WithoutUserInfo"/>).</summary>
    internal static string WithoutUserInfo(string url) => Orian.Outbox.WebhookUrl.WithoutUserInfo(url);

    private static DeliveryResponse ToResponse(DeliveryRow d, IReadOnlyList<AttemptRow>? attempts) =>
        new(d.Id, d.EventId, d.EventType, d.EndpointId, d.State, d.Attempts, d.State == "pending" ? d.NextAttemptAt : null, d.LastStatus, d.LastError,
            d.CreatedAt, d.DeliveredAt,
            attempts?.Select(a => new AttemptModel(a.Attempt, a.AttemptedAt, a.StatusCode, a.LatencyMs is { } ms ? Math.Round(ms, 3) : null, a.Error)).ToList());
}
