using System.CommandLine;
using Orian.Cli.Replay;
using Spectre.Console;

namespace Orian.Cli;

// orian replay: send ORIAN events from files as PPS would, and summarise what the service did.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
        private Command ReplayCommand(IAnsiConsole console, TextWriter output)
        {
            var paths = new Argument<string[]>("paths") { Description = "Files (.json: one object or an array; .jsonl: one object per line) or folders to search", Arity = ArgumentArity.OneOrMore };
            var concurrency = new Option<int>("--concurrency", "-c") { Description = "Requests in flight at once", DefaultValueFactory = _ => 8 };
            var rate = new Option<double>("--rate") { Description = "At most this many events per second (0: as fast as the service answers)", DefaultValueFactory = _ => 0 };
            var shuffle = new Option<bool>("--shuffle") { Description = "Send in a random order (exercises version ordering)" };
            var duplicate = new Option<double>("--duplicate") { Description = "Send this fraction of the events twice, 0 to 1 (exercises idempotency)", DefaultValueFactory = _ => 0 };
            var seed = new Option<int?>("--seed") { Description = "Seed for --shuffle and --duplicate, to repeat a run exactly" };
            var dryRun = new Option<bool>("--dry-run") { Description = "Only validate the files, with the service's own parser; send nothing" };
            var noProgress = new Option<bool>("--no-progress") { Description = "No live progress bar" };
            concurrency.Validators.Add(v => { if (v.GetValue(concurrency) is < 1 or > 512) v.AddError("--concurrency must be between 1 and 512."); });
            rate.Validators.Add(v => { if (v.GetValue(rate) < 0) v.AddError("--rate cannot be negative."); });
            duplicate.Validators.Add(v => { if (v.GetValue(duplicate) is < 0 or > 1) v.AddError("--duplicate is a fraction between 0 and 1."); });

            var command = new Command("replay", "Send ORIAN transactions from files as PUT /v2/transactions/{id}, as PPS would, and summarise what the service did. Re-running is harmless: the service is idempotent.")
            {
                Arguments = { paths },
                Options = { concurrency, rate, shuffle, duplicate, seed, dryRun, noProgress },
            };
            command.SetAction(async (r, ct) =>
            {
                var (events, errors) = EventSource.Read(r.GetValue(paths)!);
                var json = r.GetValue(_json);
                if (r.GetValue(dryRun))
                {
                    errors = [.. errors, .. Validate(events)];
                    return ReportInput(console, output, json, events.Count, errors, dryRun: true);
                }

                if (errors.Count > 0)
                {
                    return ReportInput(console, output, json, events.Count, errors, dryRun: false);
                }

                var random = r.GetValue(seed) is { } s ? new Random(s) : new Random();
                var plan = ReplayPlan.Build(events, r.GetValue(shuffle), r.GetValue(duplicate), random);
                var options = new ReplayOptions(r.GetValue(concurrency), r.GetValue(rate));
                using var client = PpsClient(r);
                var runner = new ReplayRunner(client, TimeProvider.System);
                ReplayReport report;
                if (!json && !r.GetValue(noProgress) && console.Profile.Capabilities.Interactive)
                {
                    report = await WithProgressAsync(console, plan.Count, onResult => runner.RunAsync(plan, options, onResult, ct));
                }
                else
                {
                    report = await runner.RunAsync(plan, options, null, ct);
                }

                if (json)
                {
                    Render.ReplayJson(output, report);
                }
                else
                {
                    Render.ReplaySummary(console, report, r.GetValue(_target)!);
                }

                if (report.Interrupted)
                {
                    return ExitCodes.Interrupted;
                }

                var sent = report.Sent.ToList();
                if (sent.Any(e => e.StatusCode == 401) || (sent.Count > 0 && sent.All(e => e.Outcome == "failed" && e.StatusCode is null)))
                {
                    return ExitCodes.Unreachable; // credentials refused, or nothing answered at all
                }

                return report.Clean ? ExitCodes.Ok : ExitCodes.Rejected;
            });
            return command;
        }
    }
}
