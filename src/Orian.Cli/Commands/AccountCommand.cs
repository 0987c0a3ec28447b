using System.CommandLine;
using Spectre.Console;

namespace Orian.Cli;

// orian account: an account's balances.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
        private Command AccountCommand(IAnsiConsole console, TextWriter output)
        {
            var accountNo = new Argument<string>("account_no") { Description = "The PPS account number" };
            var command = new Command("account", "Show an account's balances: posted, held, available, in minor units.") { Arguments = { accountNo } };
            command.SetAction((r, ct) => CallAsync(r, console, output, (api, token) => api.AccountAsync(r.GetValue(accountNo)!, token), Render.Account, ct));
            return command;
        }
    }
}
