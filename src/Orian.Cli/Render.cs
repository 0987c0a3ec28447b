using System.Globalization;
using System.Text.Json;
using Orian.Cli.Replay;
using Spectre.Console;

namespace Orian.Cli;

/// <summary>Tables for people, JSON for scripts.</summary>
internal static class Render
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void ReplaySummary(IAnsiConsole console, ReplayReport report, string target)
    {
        var sent = report.Sent.Count();
        var seconds = Math.Max(report.Elapsed.TotalSeconds, 0.001);
        var title = report.Interrupted
            ? $"Interrupted: {sent} of {report.Plan.Count} events sent to {target} in {seconds:0.0} s"
            : $"{sent} events sent to {target} in {seconds:0.0} s ({sent / seconds:0} events/s)";
        var outcomes = new Table().Title(Markup.Escape(title)).AddColumn("outcome").AddColumn(new TableColumn("events").RightAligned());
        foreach (var outcome in ReplayRunner.Outcomes)
        {
            var count = report.Count(outcome);
            var colour = outcome switch
            {
                "rejected" or "failed" when count > 0 => "red",
                "conflict" when count > 0 => "yellow",
                _ => "default",
            };
            outcomes.AddRow($"[{colour}]{outcome}[/]", count.ToString(CultureInfo.InvariantCulture));
        }

        if (report.NotSent > 0)
        {
            outcomes.AddRow("[yellow]not sent[/]", report.NotSent.ToString(CultureInfo.InvariantCulture));
        }

        outcomes.AddRow("latency p50 / p99", string.Create(CultureInfo.InvariantCulture, $"{report.Percentile(0.50):0.0} / {report.Percentile(0.99):0.0} ms"));
        console.Write(outcomes);

        if (report.Decisions.Count > 0)
        {
            var decisions = new Table().Title("authorisation decisions").AddColumn("result").AddColumn(new TableColumn("events").RightAligned());
            foreach (var (decision, count) in report.Decisions)
            {
                decisions.AddRow(Markup.Escape(decision), count.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(decisions);
        }

        if (report.Rejections.Count > 0)
        {
            var reasons = new Table().Title("rejected and failed, by reason").AddColumn("reason").AddColumn(new TableColumn("events").RightAligned());
            foreach (var (reason, count) in report.Rejections.Take(20))
            {
                reasons.AddRow(Markup.Escape(reason), count.ToString(CultureInfo.InvariantCulture));
            }

            console.Write(reasons);
            foreach (var r in report.Sent.Where(r => r.Outcome is "rejected" or "failed").Take(20))
            {
                console.MarkupLineInterpolated($"[red]{r.Event.Location}[/] {r.Event.Id} v{r.Event.Version}: {r.Reason}");
            }
        }
    }

    public static void ReplayJson(TextWriter output, ReplayReport report)
    {
        var summary = new Dictionary<string, object?>
        {
            ["planned"] = report.Plan.Count,
            ["sent"] = report.Sent.Count(),
            ["interrupted"] = report.Interrupted,
            ["elapsed_ms"] = Math.Round(report.Elapsed.TotalMilliseconds, 1),
            ["outcomes"] = ReplayRunner.Outcomes.ToDictionary(o => o, report.Count),
            ["decisions"] = report.Decisions.ToDictionary(d => d.Decision, d => d.Count),
            ["latency_ms"] = new Dictionary<string, double> { ["p50"] = Math.Round(report.Percentile(0.5), 2), ["p99"] = Math.Round(report.Percentile(0.99), 2) },
            ["problems"] = report.Sent.Where(r => r.Outcome is "rejected" or "failed").Select(r => new Dictionary<string, object?>
            {
                ["location"] = r.Event.Location,
                ["id"] = r.Event.Id,
                ["version"] = r.Event.Version,
                ["outcome"] = r.Outcome,
                ["status"] = r.StatusCode,
                ["reason"] = r.Reason,
            }).ToList(),
        };
        output.WriteLine(JsonSerializer.Serialize(summary, Indented));
    }

    public static void Account(IAnsiConsole console, JsonElement a)
    {
        var exponent = a.GetProperty("exponent").GetInt32();
        var currency = a.GetProperty("currency").GetString();
        var table = new Table().Title(Markup.Escape($"account {a.GetProperty("account_no").GetString()} ({currency})"))
            .AddColumn("balance").AddColumn(new TableColumn("minor units").RightAligned()).AddColumn(new TableColumn(currency ?? "").RightAligned());
        foreach (var name in new[] { "posted", "held", "available" })
        {
            var minor = a.GetProperty(name).GetInt64();
            table.AddRow(name, minor.ToString(CultureInfo.InvariantCulture), Major(minor, exponent));
        }

        console.Write(table);
        if (a.TryGetProperty("overdrawn", out var overdrawn) && overdrawn.ValueKind == JsonValueKind.True)
        {
            console.MarkupLine("[red]overdrawn[/]");
        }
    }

    public static void Transaction(IAnsiConsole console, JsonElement t)
    {
        var grid = new Table().Title(Markup.Escape($"transaction {t.GetProperty("id").GetString()}")).AddColumn("field").AddColumn("value");
        foreach (var property in t.EnumerateObject())
        {
            if (property.Name == "versions")
            {
                continue;
            }

            grid.AddRow(Markup.Escape(property.Name), Markup.Escape(Flat(property.Value)));
        }

        console.Write(grid);
        if (t.TryGetProperty("versions", out var versions))
        {
            var table = new Table().Title("versions received").AddColumn(new TableColumn("version").RightAligned()).AddColumn("outcome").AddColumn("flags").AddColumn("received at");
            foreach (var v in versions.EnumerateArray())
            {
                table.AddRow(
                    v.GetProperty("version").GetInt64().ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(v.GetProperty("outcome").GetString() ?? ""),
                    Markup.Escape(Flat(v.GetProperty("flags"))),
                    Markup.Escape(v.GetProperty("received_at").GetString() ?? ""));
            }

            console.Write(table);
        }
    }

    public static void Deliveries(IAnsiConsole console, JsonElement page)
    {
        var table = new Table().AddColumn(new TableColumn("id").RightAligned()).AddColumn("event").AddColumn("type").AddColumn("endpoint")
            .AddColumn("state").AddColumn(new TableColumn("attempts").RightAligned()).AddColumn("last status").AddColumn("last error");
        var rows = 0;
        foreach (var d in page.GetProperty("deliveries").EnumerateArray())
        {
            rows++;
            var state = d.GetProperty("state").GetString() ?? "";
            table.AddRow(
                d.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(d.GetProperty("event_id").GetString() ?? ""),
                Markup.Escape(d.GetProperty("event_type").GetString() ?? ""),
                Markup.Escape(d.GetProperty("endpoint_id").GetString() ?? ""),
                state == "dead" ? "[red]dead[/]" : Markup.Escape(state),
                d.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture),
                d.TryGetProperty("last_status", out var s) ? Flat(s) : "",
                Markup.Escape(d.TryGetProperty("last_error", out var e) ? Flat(e) : ""));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"{rows} {(rows == 1 ? "delivery" : "deliveries")}");
    }

    private static string Major(long minor, int exponent) => new Orian.Domain.Money(minor, "", exponent).ToDecimalString();

    private static string Flat(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Flat)),
        _ => value.GetRawText(),
    };

    /// <summary>A key just created: the one time its private key is shown.</summary>
    public static void KeyCreated(IAnsiConsole console, JsonElement k)
    {
        console.MarkupLineInterpolated($"Created [bold]{k.GetProperty("id").GetString()}[/] ({k.GetProperty("name").GetString()}).");
        console.MarkupLineInterpolated($"public key:  {k.GetProperty("public_key").GetString()}");
        console.MarkupLineInterpolated($"private key: {k.GetProperty("private_key").GetString()}");
        console.MarkupLine("[yellow]The private key is shown this once: store it now (it is the X-Api-Key, and signs the HMAC exchange).[/]");
    }

    public static void Keys(IAnsiConsole console, JsonElement page)
    {
        var table = new Table().AddColumn("id").AddColumn("name").AddColumn("roles").AddColumn("public key").AddColumn("created").AddColumn("expires")
            .AddColumn("revoked").AddColumn("last used");
        foreach (var k in page.GetProperty("keys").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(k.GetProperty("id").GetString() ?? ""),
                Markup.Escape(k.GetProperty("name").GetString() ?? ""),
                Markup.Escape(string.Join(", ", k.GetProperty("roles").EnumerateArray().Select(x => x.GetString()))),
                Markup.Escape(k.GetProperty("public_key").GetString() ?? ""),
                Markup.Escape(Text(k, "created_at")),
                Markup.Escape(Text(k, "expires_at")),
                Markup.Escape(Text(k, "revoked_at")),
                Markup.Escape(Text(k, "last_used_at")));
        }

        console.Write(table);
    }

    public static void Audit(IAnsiConsole console, JsonElement page)
    {
        var table = new Table().AddColumn(new TableColumn("id").RightAligned()).AddColumn("at").AddColumn("by").AddColumn("action").AddColumn("target").AddColumn("after");
        foreach (var e in page.GetProperty("entries").EnumerateArray())
        {
            table.AddRow(
                e.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(Text(e, "at")),
                Markup.Escape(e.GetProperty("key_name").GetString() ?? ""),
                Markup.Escape(e.GetProperty("action").GetString() ?? ""),
                Markup.Escape(e.GetProperty("target").GetString() ?? ""),
                Markup.Escape(e.TryGetProperty("after", out var after) ? after.GetRawText() : ""));
        }

        console.Write(table);
        if (page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.Number)
        {
            console.MarkupLineInterpolated($"more: --after {next.GetInt64()}");
        }
    }

    public static void DeliveryStats(IAnsiConsole console, JsonElement s)
    {
        static string Age(JsonElement e) =>
            e.TryGetProperty("oldest_pending_age_seconds", out var a) && a.ValueKind == JsonValueKind.Number
                ? a.GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s"
                : "";
        var table = new Table().Title(Markup.Escape($"outbox: {s.GetProperty("events_not_fanned_out").GetInt64()} events not fanned out yet"))
            .AddColumn("destination").AddColumn("kind").AddColumn(new TableColumn("pending").RightAligned()).AddColumn(new TableColumn("in flight").RightAligned())
            .AddColumn(new TableColumn("dead").RightAligned()).AddColumn(new TableColumn("delivered").RightAligned()).AddColumn("oldest pending");
        foreach (var e in s.GetProperty("endpoints").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(e.GetProperty("endpoint_id").GetString() ?? ""), Markup.Escape(e.GetProperty("kind").GetString() ?? ""),
                e.GetProperty("pending").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                e.GetProperty("in_flight").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                e.GetProperty("dead").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                e.GetProperty("delivered").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Age(e));
        }

        table.AddRow(
            "[bold]all[/]", "",
            s.GetProperty("pending").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            s.GetProperty("in_flight").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            s.GetProperty("dead").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            s.GetProperty("delivered").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Age(s));
        console.Write(table);
    }

    public static void Status(IAnsiConsole console, JsonElement s) => console.Write(StatusView(s));

    /// <summary>The status as one renderable (the live view replaces it at each refresh).</summary>
    public static Spectre.Console.Rendering.IRenderable StatusView(JsonElement s)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string Ms(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.0", inv) + " ms" : "-";
        string N(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64().ToString("N0", inv) : "-";

        var database = s.GetProperty("database");
        var reachable = database.GetProperty("reachable").GetBoolean();
        var header = new Markup(
            $"[bold]{Markup.Escape(s.GetProperty("instance").GetString() ?? "")}[/] at {Markup.Escape(Text(s, "at"))}   database {Markup.Escape(Text(database, "provider"))}: "
            + (reachable ? $"[green]reachable[/] ({Ms(database, "latency_ms")})" : $"[red]unreachable[/] ({Markup.Escape(Text(database, "error"))})")
            + (Text(database, "host") is { Length: > 0 } host ? $"   writing to {Markup.Escape(host)} since {Markup.Escape(Text(database, "host_since"))}" : ""));

        var events = s.GetProperty("events");
        var decisions = s.GetProperty("decisions");
        var traffic = new Table().Title($"last {events.GetProperty("window_seconds").GetDouble().ToString("0", inv)} s")
            .AddColumn("events/s").AddColumn("applied").AddColumn("duplicate").AddColumn("stale").AddColumn("conflict").AddColumn("rejected")
            .AddColumn("decisions").AddColumn("stand-ins").AddColumn("decision p50").AddColumn("decision p99");
        traffic.AddRow(
            events.GetProperty("per_second").GetDouble().ToString("0.0", inv), N(events, "applied"), N(events, "duplicate"), N(events, "stale"), N(events, "conflict"),
            N(events, "rejected"), N(decisions, "count"), N(decisions, "stand_ins"), Ms(decisions, "p50_ms"), Ms(decisions, "p99_ms"));

        var queues = new Table().Title("partitions (waiting)").AddColumn(new TableColumn("partition").RightAligned())
            .AddColumn(new TableColumn("authorisations").RightAligned()).AddColumn(new TableColumn("notifications").RightAligned());
        foreach (var p in s.GetProperty("partitions").EnumerateArray())
        {
            queues.AddRow(N(p, "partition"), N(p, "authorisations"), N(p, "notifications"));
        }

        var outbox = new Table().Title("outbox").AddColumn("not fanned out").AddColumn("pending").AddColumn("oldest pending").AddColumn("dead")
            .AddColumn("delivered (last min)").AddColumn("lag p50").AddColumn("lag p99").AddColumn("accounts overdrawn");
        if (s.TryGetProperty("outbox", out var o) && o.ValueKind == JsonValueKind.Object)
        {
            var age = o.TryGetProperty("oldest_pending_age_seconds", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble().ToString("0.0", inv) + " s" : "-";
            outbox.AddRow(N(o, "events_not_fanned_out"), N(o, "pending"), age, N(o, "dead"), N(o, "delivered_last_minute"), Ms(o, "lag_p50_ms"), Ms(o, "lag_p99_ms"),
                N(s, "accounts_overdrawn"));
        }
        else
        {
            outbox.AddRow("[red]database unreachable[/]", "", "", "", "", "", "", "");
        }

        return new Rows(header, traffic, queues, outbox);
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
