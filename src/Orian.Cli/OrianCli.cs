using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
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
                "3 service unreachable or credentials refused; 4 not found; 130 interrupted (Ctrl-C, after a partial summary).")
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

        /// <summary>A client for the operator API: with a key pair (options or environment), a bearer
        /// token bought with the HMAC exchange; otherwise the key as <c>X-Api-Key</c>.</summary>
        private async Task<HttpClient> OperatorClientAsync(ParseResult r, CancellationToken ct)
        {
            var publicKey = r.GetValue(_publicKey) ?? environment("ORIAN_PUBLIC_KEY");
            var privateKey = r.GetValue(_privateKey) ?? environment("ORIAN_PRIVATE_KEY");
            if (string.IsNullOrEmpty(publicKey) || string.IsNullOrEmpty(privateKey))
            {
                return Client(r, operatorKey: true);
            }

            var client = Client(r, operatorKey: false);
            client.DefaultRequestHeaders.Authorization = null;
            var nonce = Guid.NewGuid().ToString("D");
            var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            using var exchange = new HttpRequestMessage(HttpMethod.Post, "v1/identity/hmac") { Content = new ByteArrayContent([]) };
            exchange.Headers.TryAddWithoutValidation("Authorization", Orian.Orchestrator.OrchestratorHmac.Header(Convert.FromBase64String(privateKey), publicKey, nonce, epoch, []));
            using var answer = await client.SendAsync(exchange, ct);
            if (answer.StatusCode != HttpStatusCode.Created)
            {
                throw new HttpRequestException($"the HMAC exchange was refused (HTTP {(int)answer.StatusCode}): check the key pair and this machine's clock", null, answer.StatusCode);
            }

            using var token = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(ct));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("accessToken").GetString());
            return client;
        }

        private HttpClient Client(ParseResult r, bool operatorKey)
        {
            var target = r.GetValue(_target)!;
            var client = new HttpClient { BaseAddress = new Uri(target.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            if (operatorKey)
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", Credential(r, _apiKey, "ORIAN_API_KEY", "dev-operator-key-0001"));
            }
            else
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(
                        $"{Credential(r, _user, "ORIAN_PPS_USER", "pps")}:{Credential(r, _password, "ORIAN_PPS_PASSWORD", "pps-dev-password")}")));
            }

            return client;
        }

        private Task<int> GetAsync(ParseResult r, IAnsiConsole console, TextWriter output, string path, Action<IAnsiConsole, JsonElement> render, CancellationToken ct) =>
            SendAsync(r, console, output, HttpMethod.Get, path, render, ct);

        private async Task<int> SendAsync(
            ParseResult r, IAnsiConsole console, TextWriter output, HttpMethod method, string path, Action<IAnsiConsole, JsonElement> render, CancellationToken ct,
            object? body = null)
        {
            HttpResponseMessage response;
            HttpClient? client = null;
            try
            {
                client = await OperatorClientAsync(r, ct);
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
                }

                response = await client.SendAsync(request, ct);
            }
            catch (HttpRequestException e)
            {
                console.MarkupLineInterpolated($"[red]Cannot reach {r.GetValue(_target)}:[/] {e.Message}");
                return ExitCodes.Unreachable;
            }
            finally
            {
                client?.Dispose();
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    var detail = ReplayRunner.ProblemDetail(text) ?? $"HTTP {(int)response.StatusCode}";
                    console.MarkupLineInterpolated($"[red]{(int)response.StatusCode}:[/] {detail}");
                    return response.StatusCode switch
                    {
                        HttpStatusCode.NotFound => ExitCodes.NotFound,
                        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unreachable,
                        _ => ExitCodes.InvalidInput,
                    };
                }

                if (text.Length == 0)
                {
                    render(console, default); // 204: nothing to show but that it was done
                    return ExitCodes.Ok;
                }

                using var document = JsonDocument.Parse(text);
                if (r.GetValue(_json))
                {
                    output.WriteLine(JsonSerializer.Serialize(document.RootElement, Render.Indented));
                }
                else
                {
                    render(console, document.RootElement);
                }

                return ExitCodes.Ok;
            }
        }
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
