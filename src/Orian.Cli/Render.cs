using System.Globalization;
using System.Text.Json;
using Orian.Api;
using Orian.Cli.Replay;
using Orian.Outbox;
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

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Account(IAnsiConsole console, AccountResponse a)
    {
        var table = new Table().Title(Markup.Escape($"account {a.AccountNo} ({a.Currency})"))
            .AddColumn("balance").AddColumn(new TableColumn("minor units").RightAligned()).AddColumn(new TableColumn(Markup.Escape(a.Currency)).RightAligned());
        foreach (var (name, minor) in new[] { ("posted", a.Posted), ("held", a.Held), ("available", a.Available) })
        {
            table.AddRow(name, minor.ToString(Inv), Major(minor, a.Exponent));
        }

        console.Write(table);
        if (a.Overdrawn)
        {
            console.MarkupLine("[red]overdrawn[/]");
        }
    }

    public static void Transaction(IAnsiConsole console, TransactionResponse t)
    {
        var grid = new Table().Title(Markup.Escape($"transaction {t.Id}")).AddColumn("field").AddColumn("value");
        var e = t.Effect;
        foreach (var (name, value) in new (string, string?)[]
        {
            ("version", t.Version.ToString(Inv)),
            ("txn_lifecycle_status", t.TxnLifecycleStatus),
            ("result", t.Result),
            ("result_detail", t.ResultDetail),
            ("direction", t.Direction),
            ("txn_type", t.TxnType),
            ("scheme_id", t.SchemeId),
            ("account_no", t.AccountNo),
            ("amount", t.Amount is { } amount ? Amount(amount) : null),
            ("effect", $"held {e.Held.ToString(Inv)}, posted {e.Posted.ToString(Inv)}" + (e.Currency is { } c ? $" {c}" : "")
                + (e.AccountNo is { } on ? $" on {on}" : "") + (e.CounterAccount is { } counter ? $", counter account {counter}" : "")),
            ("flags", string.Join(", ", t.Flags)),
            ("secure_auth", t.SecureAuth is { } s
                ? $"{s.Result}, liability {s.Liability}" + (s.Sli is { } sli ? $", sli {sli}" : "") + (s.AavLeadingIndicator is { } aav ? $", aav {aav}" : "")
                    + (s.ExemptionFlag is { } exemption ? $", exemption {exemption}" : "")
                : null),
            ("created_at", Time(t.CreatedAt)),
            ("updated_at", Time(t.UpdatedAt)),
        })
        {
            grid.AddRow(name, Markup.Escape(value ?? ""));
        }

        console.Write(grid);
        var table = new Table().Title("versions received").AddColumn(new TableColumn("version").RightAligned()).AddColumn("outcome").AddColumn("flags").AddColumn("received at");
        foreach (var v in t.Versions)
        {
            table.AddRow(v.Version.ToString(Inv), Markup.Escape(v.Outcome), Markup.Escape(string.Join(", ", v.Flags)), Time(v.ReceivedAt));
        }

        console.Write(table);
    }

    public static void Deliveries(IAnsiConsole console, DeliveryListResponse page)
    {
        var table = new Table().AddColumn(new TableColumn("id").RightAligned()).AddColumn("event").AddColumn("type").AddColumn("endpoint")
            .AddColumn("state").AddColumn(new TableColumn("attempts").RightAligned()).AddColumn("last status").AddColumn("last error");
        foreach (var d in page.Deliveries)
        {
            table.AddRow(
                d.Id.ToString(Inv),
                Markup.Escape(d.EventId),
                Markup.Escape(d.EventType),
                Markup.Escape(d.EndpointId),
                d.State == "dead" ? "[red]dead[/]" : Markup.Escape(d.State),
                d.Attempts.ToString(Inv),
                d.LastStatus?.ToString(Inv) ?? "",
                Markup.Escape(d.LastError ?? ""));
        }

        console.Write(table);
        var rows = page.Deliveries.Count;
        console.MarkupLineInterpolated($"{rows} {(rows == 1 ? "delivery" : "deliveries")}");
        if (page.NextAfter is { } next)
        {
            console.MarkupLineInterpolated($"more: the next page starts after {next}");
        }
    }

    private static string Major(long minor, int exponent) => new Orian.Domain.Money(minor, "", exponent).ToDecimalString();

    private static string Amount(AmountModel a) => $"{Major(a.Amount, a.Currency.Exponent)} {a.Currency.Code} ({a.Amount.ToString(Inv)})";

    private static string Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", Inv) ?? "";

    /// <summary>A key just created: the one time its private key is shown.</summary>
    public static void KeyCreated(IAnsiConsole console, ApiKeyCreatedResponse k)
    {
        console.MarkupLineInterpolated($"Created [bold]{k.Id}[/] ({k.Name}).");
        console.MarkupLineInterpolated($"public key:  {k.PublicKey}");
        console.MarkupLineInterpolated($"private key: {k.PrivateKey}");
        console.MarkupLine("[yellow]The private key is shown this once: store it now (it is the X-Api-Key, and signs the HMAC exchange).[/]");
    }

    public static void Keys(IAnsiConsole console, ApiKeyListResponse page)
    {
        var table = new Table().AddColumn("id").AddColumn("name").AddColumn("roles").AddColumn("public key").AddColumn("created").AddColumn("expires")
            .AddColumn("revoked").AddColumn("last used");
        foreach (var k in page.Keys)
        {
            table.AddRow(
                Markup.Escape(k.Id),
                Markup.Escape(k.Name),
                Markup.Escape(string.Join(", ", k.Roles)),
                Markup.Escape(k.PublicKey),
                Time(k.CreatedAt),
                Time(k.ExpiresAt),
                Time(k.RevokedAt),
                Time(k.LastUsedAt));
        }

        console.Write(table);
    }

    public static void Audit(IAnsiConsole console, AuditPageResponse page)
    {
        var table = new Table().AddColumn(new TableColumn("id").RightAligned()).AddColumn("at").AddColumn("by").AddColumn("action").AddColumn("target").AddColumn("after");
        foreach (var e in page.Entries)
        {
            table.AddRow(
                e.Id.ToString(Inv),
                Time(e.At),
                Markup.Escape(e.KeyName),
                Markup.Escape(e.Action),
                Markup.Escape(e.Target),
                Markup.Escape(e.After?.GetRawText() ?? ""));
        }

        console.Write(table);
        if (page.Next is { } next)
        {
            console.MarkupLineInterpolated($"more: --after {next}");
        }
    }

    public static void DeliveryStats(IAnsiConsole console, DeliveryStatsResponse s)
    {
        static string Age(double? seconds) => seconds is { } a ? a.ToString("0.0", Inv) + " s" : "";
        var table = new Table().Title(Markup.Escape($"outbox: {s.EventsNotFannedOut} events not fanned out yet"))
            .AddColumn("destination").AddColumn("kind").AddColumn(new TableColumn("pending").RightAligned()).AddColumn(new TableColumn("in flight").RightAligned())
            .AddColumn(new TableColumn("dead").RightAligned()).AddColumn(new TableColumn("delivered").RightAligned()).AddColumn("oldest pending");
        foreach (var e in s.Endpoints)
        {
            table.AddRow(
                Markup.Escape(e.EndpointId), Markup.Escape(e.Kind),
                e.Pending.ToString(Inv), e.InFlight.ToString(Inv), e.Dead.ToString(Inv), e.Delivered.ToString(Inv), Age(e.OldestPendingAgeSeconds));
        }

        table.AddRow("[bold]all[/]", "", s.Pending.ToString(Inv), s.InFlight.ToString(Inv), s.Dead.ToString(Inv), s.Delivered.ToString(Inv), Age(s.OldestPendingAgeSeconds));
        console.Write(table);
    }

    public static void Status(IAnsiConsole console, StatusResponse s) => console.Write(StatusView(s));

    /// <summary>The status as one renderable (the live view replaces it at each refresh).</summary>
    public static Spectre.Console.Rendering.IRenderable StatusView(StatusResponse s)
    {
        static string Ms(double? ms) => ms is { } v ? v.ToString("0.0", Inv) + " ms" : "-";
        static string N(long? n) => n is { } v ? v.ToString("N0", Inv) : "-";
        static string AtLeast(long n, long upTo) => n >= upTo ? N(upTo) + "+" : N(n); // a count that stopped

        var database = s.Database;
        var header = new Markup(
            $"[bold]{Markup.Escape(s.Instance)}[/] at {Time(s.At)}   database {Markup.Escape(database.Provider)}: "
            + (database.Reachable ? $"[green]reachable[/] ({Ms(database.LatencyMs)})" : $"[red]unreachable[/] ({Markup.Escape(database.Error ?? "")})")
            + (database.Host is { Length: > 0 } host ? $"   writing to {Markup.Escape(host)} since {Time(database.HostSince)}" : ""));

        var events = s.Events;
        var decisions = s.Decisions;
        var traffic = new Table().Title($"last {events.WindowSeconds.ToString("0", Inv)} s")
            .AddColumn("events/s").AddColumn("applied").AddColumn("duplicate").AddColumn("stale").AddColumn("conflict").AddColumn("rejected")
            .AddColumn("decisions").AddColumn("stand-ins").AddColumn("decision p50").AddColumn("decision p99");
        traffic.AddRow(
            events.PerSecond.ToString("0.0", Inv), N(events.Applied), N(events.Duplicate), N(events.Stale), N(events.Conflict), N(events.Rejected),
            N(decisions.Count), N(decisions.StandIns), Ms(decisions.P50Ms), Ms(decisions.P99Ms));

        var queues = new Table().Title("partitions (waiting)").AddColumn(new TableColumn("partition").RightAligned())
            .AddColumn(new TableColumn("authorisations").RightAligned()).AddColumn(new TableColumn("notifications").RightAligned());
        foreach (var p in s.Partitions)
        {
            queues.AddRow(N(p.Partition), N(p.Authorisations), N(p.Notifications));
        }

        var outbox = new Table().Title("outbox").AddColumn("not fanned out").AddColumn("pending").AddColumn("oldest pending").AddColumn("dead")
            .AddColumn("delivered (last min)").AddColumn("lag p50").AddColumn("lag p99").AddColumn("accounts overdrawn");
        if (s.Outbox is { } o)
        {
            var age = o.OldestPendingAgeSeconds is { } a ? a.ToString("0.0", Inv) + " s" : "-";
            outbox.AddRow(AtLeast(o.EventsNotFannedOut, o.CountedUpTo), AtLeast(o.Pending, o.CountedUpTo), age, AtLeast(o.Dead, o.CountedUpTo), N(o.DeliveredLastMinute), Ms(o.LagP50Ms), Ms(o.LagP99Ms), N(s.AccountsOverdrawn));
        }
        else
        {
            outbox.AddRow("[red]database unreachable[/]", "", "", "", "", "", "", "");
        }

        return new Rows(header, traffic, queues, outbox);
    }
}
