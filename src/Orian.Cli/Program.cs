using Orian.Cli;
using Spectre.Console;

return await OrianCli.RunAsync(args, AnsiConsole.Console, Console.Out, Environment.GetEnvironmentVariable);
