using System.CommandLine;
using Spectre.Console;

namespace Orian.Cli;

// orian txn: a transaction and every version received.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
        private Command TxnCommand(IAnsiConsole console, TextWriter output)
        {
            var id = new Argument<string>("id") { Description = "The ORIAN transaction id" };
            var command = new Command("txn", "Show a transaction: its current version and every version received, with its outcome.") { Arguments = { id } };
            command.SetAction((r, ct) => CallAsync(r, console, output, (api, token) => api.TransactionAsync(r.GetValue(id)!, token), Render.Transaction, ct));
            return command;
        }
    }
}
