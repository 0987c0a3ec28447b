using System.CommandLine;
using System.Text.Json;
using Orian.Cli.Replay;
using Spectre.Console;

namespace Orian.Cli;

// orian status: what the service is doing now, once or as a live view.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
        private Command StatusCommand(IAnsiConsole console, TextWriter output)
        {
            var once = new Option<bool>("--once") { Description = "Show the status once and exit (--json implies it)" };
            var interval = new Option<double>("--interval") { Description = "Seconds between refreshes of the live view", DefaultValueFactory = _ => 2 };
            interval.Validators.Add(v => { if (v.GetValue(interval) is < 0.2 or > 3600) v.AddError("--interval must be between 0.2 and 3600 seconds."); });
            var count = new Option<int?>("--count") { Description = "Stop the live view after this many refreshes (default: until Ctrl+C)" };
            count.Validators.Add(v => { if (v.GetValue(count) is < 1) v.AddError("--count must be at least 1."); });
            var command = new Command("status", "What the service is doing now (orian-status-read): partition queues, events/s and outcomes, decision latency, outbox backlog and lag, database reachability. A live view until Ctrl+C.")
            {
                Options = { once, interval, count },
            };
            command.SetAction(async (r, ct) =>
            {
                if (r.GetValue(once) || r.GetValue(_json))
                {
                    return await GetAsync(r, console, output, "v1/status", Render.Status, ct);
                }

                var every = TimeSpan.FromSeconds(r.GetValue(interval));
                var target = r.GetValue(_target);
                await console.Live(new Text($"Reading {target} ...")).StartAsync(async live =>
                {
                    using var client = await OperatorClientAsync(r, ct);
                    for (var refreshes = 1; !ct.IsCancellationRequested; refreshes++)
                    {
                        live.UpdateTarget(await ReadStatusAsync(client, target, ct));
                        live.Refresh();
                        if (refreshes == r.GetValue(count))
                        {
                            break;
                        }

                        try
                        {
                            await Task.Delay(every, ct);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                });
                return ExitCodes.Ok;
            });
            return command;
        }

        /// <summary>One refresh of the live view: the status, or why it could not be read (the view keeps going).</summary>
        private static async Task<Spectre.Console.Rendering.IRenderable> ReadStatusAsync(HttpClient client, string? target, CancellationToken ct)
        {
            try
            {
                using var response = await client.GetAsync("v1/status", ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    return new Markup(Markup.Escape($"{(int)response.StatusCode}: {ReplayRunner.ProblemDetail(text) ?? "HTTP error"}"), new Style(Color.Red));
                }

                using var document = JsonDocument.Parse(text);
                return Render.StatusView(document.RootElement);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return new Markup(Markup.Escape($"Cannot reach {target}: {e.Message}"), new Style(Color.Red));
            }
        }
    }
}
