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
/// <c>orian</c>: replay ORIAN event files into the service and inspect what it did. The commands
/// and their options are defined here; <see cref="RunAsync"/> runs one command line (the tests call
/// it in-process, with their own console and environment).
/// </summary>
public static class OrianCli
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
    private sealed class Definitions(Func<string, string?> environment)
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
                using var client = Client(r, operatorKey: false);
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

        private Command AccountCommand(IAnsiConsole console, TextWriter output)
        {
            var accountNo = new Argument<string>("account_no") { Description = "The PPS account number" };
            var command = new Command("account", "Show an account's balances: posted, held, available, in minor units.") { Arguments = { accountNo } };
            command.SetAction((r, ct) => GetAsync(r, console, output, $"v1/accounts/{Uri.EscapeDataString(r.GetValue(accountNo)!)}", Render.Account, ct));
            return command;
        }

        private Command TxnCommand(IAnsiConsole console, TextWriter output)
        {
            var id = new Argument<string>("id") { Description = "The ORIAN transaction id" };
            var command = new Command("txn", "Show a transaction: its current version and every version received, with its outcome.") { Arguments = { id } };
            command.SetAction((r, ct) => GetAsync(r, console, output, $"v1/transactions/{Uri.EscapeDataString(r.GetValue(id)!)}", Render.Transaction, ct));
            return command;
        }

        private Command DeliveriesCommand(IAnsiConsole console, TextWriter output)
        {
            var state = new Option<string?>("--state") { Description = "Only deliveries in this state" };
            state.AcceptOnlyFromAmong("pending", "delivered", "dead");
            var limit = new Option<int>("--limit") { Description = "At most this many (1 to 1000)", DefaultValueFactory = _ => 100 };
            var stats = new Option<bool>("--stats") { Description = "The backlog instead: pending, in flight, dead and the oldest pending age, per destination" };
            var command = new Command("deliveries", "List webhook and Orchestrator deliveries, oldest first.") { Options = { state, limit, stats } };
            command.SetAction((r, ct) =>
            {
                if (r.GetValue(stats))
                {
                    return GetAsync(r, console, output, "v1/deliveries/stats", Render.DeliveryStats, ct);
                }

                var query = $"v1/deliveries?limit={r.GetValue(limit)}" + (r.GetValue(state) is { } s ? $"&state={s}" : "");
                return GetAsync(r, console, output, query, Render.Deliveries, ct);
            });

            var id = new Argument<long?>("id") { Description = "The dead-lettered delivery to send again", Arity = ArgumentArity.ZeroOrOne };
            var all = new Option<bool>("--all") { Description = "Re-drive every dead-lettered delivery" };
            var redrive = new Command("redrive", "Put dead-lettered deliveries back in the queue, due now (they keep their webhook-id).") { Arguments = { id }, Options = { all } };
            redrive.Validators.Add(v =>
            {
                if ((v.GetValue(id) is null) == !v.GetValue(all))
                {
                    v.AddError("Give a delivery id or --all (not both).");
                }
            });
            redrive.SetAction(async (r, ct) =>
            {
                var path = r.GetValue(all) ? "v1/deliveries/redrive" : $"v1/deliveries/{r.GetValue(id)}/redrive";
                return await SendAsync(r, console, output, HttpMethod.Post, path, (c, body) =>
                {
                    var count = body.GetProperty("redriven").GetInt32();
                    c.MarkupLine($"Re-drove [bold]{count}[/] {(count == 1 ? "delivery" : "deliveries")}.");
                }, ct);
            });
            command.Subcommands.Add(redrive);
            return command;
        }

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

        private Command KeysCommand(IAnsiConsole console, TextWriter output)
        {
            var command = new Command("keys", "Operator API keys (orian-admin): create one (its private key is shown once), list them, revoke one.");
            var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
            var roles = new Option<string[]>("--role") { Description = $"A role to grant (repeat the option): {string.Join(", ", Orian.Security.OperatorRoles.All)}", Required = true, AllowMultipleArgumentsPerToken = true };
            var expires = new Option<DateTimeOffset?>("--expires-at") { Description = "When the key stops working (ISO 8601)" };
            var create = new Command("create", "Create a key pair with the given roles.") { Options = { name, roles, expires } };
            create.SetAction((r, ct) => SendAsync(r, console, output, HttpMethod.Post, "v1/api-keys", Render.KeyCreated, ct,
                new Dictionary<string, object?> { ["name"] = r.GetValue(name), ["roles"] = r.GetValue(roles), ["expires_at"] = r.GetValue(expires) }));
            var list = new Command("list", "List the keys (never a private key).");
            list.SetAction((r, ct) => GetAsync(r, console, output, "v1/api-keys", Render.Keys, ct));
            var id = new Argument<string>("id") { Description = "The key to revoke" };
            var revoke = new Command("revoke", "Revoke a key and every token bought with it, at once.") { Arguments = { id } };
            revoke.SetAction((r, ct) => SendAsync(r, console, output, HttpMethod.Delete, $"v1/api-keys/{Uri.EscapeDataString(r.GetValue(id)!)}",
                (c, _) => c.MarkupLineInterpolated($"Revoked [bold]{r.GetValue(id)}[/]."), ct));
            command.Subcommands.Add(create);
            command.Subcommands.Add(list);
            command.Subcommands.Add(revoke);
            return command;
        }

        private Command AuditCommand(IAnsiConsole console, TextWriter output)
        {
            var target = new Option<string>("--target") { Description = "Only entries about this target, e.g. account:ACC-1 or webhook_endpoint:we_..." };
            var after = new Option<long>("--after") { Description = "Entries after this id (the previous page's next)", DefaultValueFactory = _ => 0 };
            var limit = new Option<int>("--limit") { Description = "At most this many (1 to 1000)", DefaultValueFactory = _ => 100 };
            var command = new Command("audit", "The audit trail of operator changes, oldest first (orian-admin).") { Options = { target, after, limit } };
            command.SetAction((r, ct) =>
            {
                var query = $"v1/audit?after={r.GetValue(after)}&limit={r.GetValue(limit)}" + (r.GetValue(target) is { } t ? $"&target={Uri.EscapeDataString(t)}" : "");
                return GetAsync(r, console, output, query, Render.Audit, ct);
            });
            return command;
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
