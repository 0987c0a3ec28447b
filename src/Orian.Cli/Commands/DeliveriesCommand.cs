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
                    return CallAsync(r, console, output, (api, token) => api.DeliveryStatsAsync(token), Render.DeliveryStats, ct);
                }

                return CallAsync(r, console, output, (api, token) => api.DeliveriesAsync(r.GetValue(state), r.GetValue(limit), token), Render.Deliveries, ct);
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
            redrive.SetAction((r, ct) => CallAsync(r, console, output, (api, token) => api.RedriveAsync(r.GetValue(all) ? null : r.GetValue(id), token), (c, body) =>
                c.MarkupLine($"Re-drove [bold]{body.Redriven}[/] {(body.Redriven == 1 ? "delivery" : "deliveries")}."), ct));
            command.Subcommands.Add(redrive);
            return command;
        }
    }
}
