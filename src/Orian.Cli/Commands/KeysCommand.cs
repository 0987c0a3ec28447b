using System.CommandLine;
using Orian.Api;
using Spectre.Console;

namespace Orian.Cli;

// orian keys create|list|revoke: operator API keys.
public static partial class OrianCli
{
    private sealed partial class Definitions
    {
        private Command KeysCommand(IAnsiConsole console, TextWriter output)
        {
            var command = new Command("keys", "Operator API keys (orian-admin): create one (its private key is shown once), list them, revoke one.");
            var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
            var roles = new Option<string[]>("--role") { Description = $"A role to grant (repeat the option): {string.Join(", ", Orian.Security.OperatorRoles.All)}", Required = true, AllowMultipleArgumentsPerToken = true };
            var expires = new Option<DateTimeOffset?>("--expires-at") { Description = "When the key stops working (ISO 8601)" };
            var create = new Command("create", "Create a key pair with the given roles.") { Options = { name, roles, expires } };
            create.SetAction((r, ct) => CallAsync(r, console, output,
                (api, token) => api.CreateKeyAsync(new ApiKeyRequestModel(r.GetValue(name)!, r.GetValue(roles)!, r.GetValue(expires)), token), Render.KeyCreated, ct));
            var list = new Command("list", "List the keys (never a private key).");
            list.SetAction((r, ct) => CallAsync(r, console, output, (api, token) => api.KeysAsync(token), Render.Keys, ct));
            var id = new Argument<string>("id") { Description = "The key to revoke" };
            var revoke = new Command("revoke", "Revoke a key and every token bought with it, at once.") { Arguments = { id } };
            revoke.SetAction((r, ct) => CallAsync(r, console, (api, token) => api.RevokeKeyAsync(r.GetValue(id)!, token),
                c => c.MarkupLineInterpolated($"Revoked [bold]{r.GetValue(id)}[/]."), ct));
            command.Subcommands.Add(create);
            command.Subcommands.Add(list);
            command.Subcommands.Add(revoke);
            return command;
        }
    }
}
