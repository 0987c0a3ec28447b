using System.CommandLine;
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
                    return await CallAsync(r, console, output, (api, token) => api.StatusAsync(token), Render.Status, ct);
                }

                var every = TimeSpan.FromSeconds(r.GetValue(interval));
                OperatorApi api;
                try
                {
                    api = await ConnectAsync(r, ct);
                }
                catch (Exception e) when (Failure(r, e, ct) is { } failure)
                {
                    console.MarkupLine(failure.Line); // a key pair refused: no view to keep going
                    return failure.Code;
                }

                using var _ = api;
                await console.Live(new Text($"Reading {r.GetValue(_target)} ...")).StartAsync(async live =>
                {
                    for (var refreshes = 1; !ct.IsCancellationRequested; refreshes++)
                    {
                        live.UpdateTarget(await ReadStatusAsync(r, api, ct));
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
        private async Task<Spectre.Console.Rendering.IRenderable> ReadStatusAsync(ParseResult r, OperatorApi api, CancellationToken ct)
        {
            try
            {
                return Render.StatusView(await api.StatusAsync(ct));
            }
            catch (Exception e) when (Failure(r, e, ct) is { } failure)
            {
                return new Markup(failure.Line);
            }
        }
    }
}
