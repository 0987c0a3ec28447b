using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orian.Api;
using Orian.Cli.Replay;
using Orian.Wire;
using Spectre.Console;

namespace Orian.Cli;

/// <summary>
/// <c>orian</c>: replay ORIAN event files into the service and inspect what it did. The options every
/// command shares, the operator client and the request helpers are here; each command is in its own
/// file under <c>Commands/</c>. <see cref="RunAsync"/> runs one command line (the tests call it
/// in-process, with their own console and environment).
/// </summary>
public static partial class OrianCli
{
    public const string DefaultTarget = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync(
        string[] args, IAnsiConsole console, TextWriter output, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var cli = new Definitions(environment);
        var root = cli.Build(console, output);
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = output, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
        var code = await parsed.InvokeAsync(configuration, cancellationToken);
        return parsed.Errors.Count > 0 ? ExitCodes.InvalidInput : code;
    }

    /// <summary>The options and commands, with defaults from the environment.</summary>
    private sealed partial class Definitions(Func<string, string?> environment)
    {
        private readonly Option<string> _target = new("--target", "-t")
        {
            Description = "The Orian service's base URL [env ORIAN_TARGET]",
            Recursive = true,
            DefaultValueFactory = _ => environment("ORIAN_TARGET") ?? DefaultTarget,
        };

        // Credentials have no DefaultValueFactory on purpose: --help prints defaults, and a secret
        // taken from the environment must not appear there. They are resolved in Credential().
        private readonly Option<string> _user = new("--user")
        {
            Description = "PPS's HTTP Basic user name, for replay [env ORIAN_PPS_USER; else pps, the Development value]",
            Recursive = true,
        };

        private readonly Option<string> _password = new("--password")
        {
            Description = "PPS's HTTP Basic password, for replay [env ORIAN_PPS_PASSWORD; else the Development value]",
            Recursive = true,
        };

        private readonly Option<string> _apiKey = new("--api-key")
        {
            Description = "The operator key sent as X-Api-Key, for account, txn and deliveries [env ORIAN_API_KEY; else the Development bootstrap key, which only creates admin keys]",
            Recursive = true,
        };

        private readonly Option<string> _publicKey = new("--public-key")
        {
            Description = "An operator key pair's public key: with --private-key, the CLI buys a bearer token with the HMAC exchange [env ORIAN_PUBLIC_KEY]",
            Recursive = true,
        };

        private readonly Option<string> _privateKey = new("--private-key")
        {
            Description = "The key pair's private key (Base64), used only to sign the exchange [env ORIAN_PRIVATE_KEY]",
            Recursive = true,
        };

        private string Credential(ParseResult r, Option<string> option, string variable, string development) =>
            r.GetValue(option) ?? environment(variable) ?? development;

        private readonly Option<bool> _json = new("--json")
        {
            Description = "Write JSON for scripts instead of tables",
            Recursive = true,
        };

        public RootCommand Build(IAnsiConsole console, TextWriter output)
        {
            var root = new RootCommand(
                "orian: replay ORIAN transaction files into an Orian service, and inspect accounts, transactions and webhook deliveries.\n" +
                "Exit codes: 0 done; 1 events rejected or undeliverable; 2 invalid input or usage (nothing sent); " +
                "3 service unreachable, failing (5xx), refusing the credentials or answering in a shape this CLI does not read; 4 not found; 130 interrupted (Ctrl-C, after a partial summary).")
            {
                Options = { _target, _user, _password, _apiKey, _publicKey, _privateKey, _json },
            };
            root.Subcommands.Add(ReplayCommand(console, output));
            root.Subcommands.Add(AccountCommand(console, output));
            root.Subcommands.Add(TxnCommand(console, output));
            root.Subcommands.Add(DeliveriesCommand(console, output));
            root.Subcommands.Add(KeysCommand(console, output));
            root.Subcommands.Add(AuditCommand(console, output));
            root.Subcommands.Add(StatusCommand(console, output));
            return root;
        }

        /// <summary>The operator API: with a key pair (options or environment), a bearer token bought with
        /// the HMAC exchange; otherwise the key as <c>X-Api-Key</c>.</summary>
        private Task<OperatorApi> ConnectAsync(ParseResult r, CancellationToken ct)
        {
            var publicKey = r.GetValue(_publicKey) ?? environment("ORIAN_PUBLIC_KEY");
            var privateKey = r.GetValue(_privateKey) ?? environment("ORIAN_PRIVATE_KEY");
            OperatorCredential credential = string.IsNullOrEmpty(publicKey) || string.IsNullOrEmpty(privateKey)
                ? new OperatorCredential.ApiKey(Credential(r, _apiKey, "ORIAN_API_KEY", "dev-operator-key-0001"))
                : new OperatorCredential.KeyPair(publicKey, privateKey);
            return OperatorApi.ConnectAsync(Target(r), credential, TimeProvider.System, ct);
        }

        private Uri Target(ParseResult r) => new(r.GetValue(_target)!.TrimEnd('/') + "/");

        /// <summary>PPS's side: HTTP Basic, for replay.</summary>
        private HttpClient PpsClient(ParseResult r)
        {
            var client = new HttpClient { BaseAddress = Target(r), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(
                    $"{Credential(r, _user, "ORIAN_PPS_USER", "pps")}:{Credential(r, _password, "ORIAN_PPS_PASSWORD", "pps-dev-password")}")));
            return client;
        }

        /// <summary>One operator call: its answer as a table, or with <c>--json</c> as the API's own JSON;
        /// a refusal or a failure as a line and an exit code.</summary>
        private async Task<int> CallAsync<T>(
            ParseResult r, IAnsiConsole console, TextWriter output, Func<OperatorApi, CancellationToken, Task<T>> call, Action<IAnsiConsole, T> render,
            CancellationToken ct)
        {
            T answer;
            try
            {
                using var api = await ConnectAsync(r, ct);
                answer = await call(api, ct);
            }
            catch (Exception e) when (Failure(r, e, ct) is { } failure)
            {
                console.MarkupLine(failure.Line);
                return failure.Code;
            }

            if (r.GetValue(_json))
            {
                output.WriteLine(JsonSerializer.Serialize(answer, (JsonTypeInfo<T>)OrianApiJson.Indented.GetTypeInfo(typeof(T))));
            }
            else
            {
                render(console, answer);
            }

            return ExitCodes.Ok;
        }

        /// <summary>A call with no answer but that it was done (a 204).</summary>
        private Task<int> CallAsync(
            ParseResult r, IAnsiConsole console, Func<OperatorApi, CancellationToken, Task> call, Action<IAnsiConsole> done, CancellationToken ct) =>
            CallAsync<bool>(r, console, TextWriter.Null, async (api, token) =>
            {
                await call(api, token);
                return true;
            }, (c, _) => done(c), ct);

        /// <summary>What a failed operator call tells the person and the script (null: not ours to handle).
        /// A refused request keeps the service's own words; an answer this CLI cannot read says so, since it
        /// means the CLI and the service are not the same version.</summary>
        private (string Line, int Code)? Failure(ParseResult r, Exception e, CancellationToken ct) => e switch
        {
            OperatorApiException refused => ($"[red]{(int)refused.Status}:[/] {Markup.Escape(refused.Detail)}", refused.Status switch
            {
                HttpStatusCode.NotFound => ExitCodes.NotFound,
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unreachable,
                >= HttpStatusCode.InternalServerError => ExitCodes.Unreachable,
                _ => ExitCodes.InvalidInput,
            }),
            HttpRequestException => ($"[red]Cannot reach {Markup.Escape(r.GetValue(_target)!)}:[/] {Markup.Escape(e.Message)}", ExitCodes.Unreachable),
            TaskCanceledException when !ct.IsCancellationRequested =>
                ($"[red]Cannot reach {Markup.Escape(r.GetValue(_target)!)}:[/] no answer in time", ExitCodes.Unreachable),
            JsonException => ($"[red]The service's answer is not one this CLI reads[/] ({Markup.Escape(e.Message)}): are the CLI and the service the same version?",
                ExitCodes.Unreachable),
            UriFormatException => ($"[red]--target is not a URL[/] ({Markup.Escape(e.Message)}).", ExitCodes.InvalidInput),
            FormatException => ("[red]The private key is not Base64[/] (--private-key or ORIAN_PRIVATE_KEY).", ExitCodes.InvalidInput),
            _ => null,
        };
    }

    /// <summary>Each event checked by the service's own parser: what it would answer 400 to.</summary>
    private static IEnumerable<SourceError> Validate(IReadOnlyList<ReplayEvent> events)
    {
        foreach (var evt in events)
        {
            if (OrianParser.Parse(Encoding.UTF8.GetBytes(evt.Json), out var error) is null)
            {
                yield return new SourceError(evt.Location, $"{error!.Field}: {error.Message}");
            }
        }
    }

    private static int ReportInput(IAnsiConsole console, TextWriter output, bool json, int events, IReadOnlyList<SourceError> errors, bool dryRun)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["events"] = events,
                ["valid"] = errors.Count == 0,
                ["errors"] = errors.Select(e => new Dictionary<string, string> { ["location"] = e.Location, ["message"] = e.Message }).ToList(),
            }, Render.Indented));
        }
        else
        {
            foreach (var error in errors)
            {
                console.MarkupLineInterpolated($"[red]{error.Location}[/]: {error.Message}");
            }

            if (errors.Count == 0)
            {
                console.MarkupLineInterpolated($"[green]{events} events valid[/]; nothing sent (dry run).");
            }
            else
            {
                console.MarkupLineInterpolated($"[red]{errors.Count} {(errors.Count == 1 ? "problem" : "problems")}[/] in {events} events; nothing sent{(dryRun ? " (dry run)" : "")}.");
            }
        }

        return errors.Count == 0 ? ExitCodes.Ok : ExitCodes.InvalidInput;
    }

    private static async Task<ReplayReport> WithProgressAsync(IAnsiConsole console, int total, Func<Action<EventResult>, Task<ReplayReport>> run)
    {
        ReplayReport? report = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("replay", maxValue: total);
                var sent = 0;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                report = await run(_ =>
                {
                    var done = Interlocked.Increment(ref sent);
                    task.Increment(1);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{done}/{total} · {done / Math.Max(clock.Elapsed.TotalSeconds, 0.001):0} ev/s");
                });
                task.StopTask();
            });
        return report!;
    }
}
