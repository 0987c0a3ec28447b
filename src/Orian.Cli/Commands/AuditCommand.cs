using System.CommandLine;
using Spectre.Console;

namespace Orian.Cli;

// orian audit: the audit trail of operator changes.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
        private Command AuditCommand(IAnsiConsole console, TextWriter output)
        {
            var target = new Option<string>("--target") { Description = "Only entries about this target, e.g. account:ACC-1 or webhook_endpoint:we_..." };
            var after = new Option<long>("--after") { Description = "Entries after this id (the previous page's next)", DefaultValueFactory = _ => 0 };
            var limit = new Option<int>("--limit") { Description = "At most this many (1 to 1000)", DefaultValueFactory = _ => 100 };
            var command = new Command("audit", "The audit trail of operator changes, oldest first (orian-admin).") { Options = { target, after, limit } };
            command.SetAction((r, ct) => CallAsync(r, console, output,
                (api, token) => api.AuditAsync(r.GetValue(after), r.GetValue(limit), r.GetValue(target), token), Render.Audit, ct));
            return command;
        }
    }
}
