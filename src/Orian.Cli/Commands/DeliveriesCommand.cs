using System.CommandLine;
using Spectre.Console;

namespace Orian.Cli;

// orian deliveries and orian deliveries redrive: the outbox's deliveries, and re-driving dead ones.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
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
    }
}
