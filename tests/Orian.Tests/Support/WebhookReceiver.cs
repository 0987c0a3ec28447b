using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Orian.Tests.Support;

/// <summary>
/// A webhook receiver the test controls, on Kestrel at 127.0.0.1: answers 200 by default, or what
/// <see cref="Respond"/> says for the next requests (fail N times, 410, 429 with Retry-After, or hang
/// until the caller gives up). Records every request it gets.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    public static Task<WebhookReceiver> StartAsync() => StartAsync(0);

    /// <summary>Starts on a given port (to come back where an endpoint already points).</summary>
    public static async Task<WebhookReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>A port nothing listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Respond(int times, Func<HttpContext, Task> answer)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue(answer);
        }
    }

    public static Func<HttpContext, Task> Status(int code, string? retryAfter = null) => context =>
    {
        context.Response.StatusCode = code;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return Task.CompletedTask;
    };

    /// <summary>Never answers: waits until the sender gives up and closes the connection.</summary>
    public static Func<HttpContext, Task> Hang => context => Task.Delay(Timeout.Infinite, context.RequestAborted);

    /// <summary>How to answer when no scripted answer is left (200 when null).</summary>
    public Func<HttpContext, Task>? Otherwise { get; set; }

    /// <summary>Completes when the next request has arrived.</summary>
    public Task NextRequest => _received.Task;

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new Received(
            context.Request.Headers["webhook-id"].ToString(),
            context.Request.Headers["webhook-timestamp"].ToString(),
            context.Request.Headers["webhook-signature"].ToString(),
            body,
            context.Request.Headers["traceparent"].ToString()));
        var received = _received;
        _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
        received.TrySetResult();
        if (_script.TryDequeue(out var answer) || (answer = Otherwise) is not null)
        {
            try
            {
                await answer(context);
            }
            catch (OperationCanceledException)
            {
                // the sender gave up on a hanging answer
            }

            return;
        }

        context.Response.StatusCode = 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(string Id, string Timestamp, string Signature, string Body, string Traceparent = "");
}
