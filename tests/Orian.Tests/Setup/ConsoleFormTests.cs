using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Orian.Service;

namespace Orian.Tests.Setup;

/// <summary>The console's line form: JSON outside Development, readable lines in Development, and
/// whatever <c>Logging:Console:FormatterName</c> says when it is set (the journal's form under systemd
/// is <see cref="SystemdTests"/>'s).</summary>
public sealed class ConsoleFormTests
{
    [TestCase("Production", null, ConsoleFormatterNames.Json)]
    [TestCase("Staging", null, ConsoleFormatterNames.Json)]
    [TestCase("Development", null, ConsoleFormatterNames.Simple)]
    [TestCase("Production", "simple", ConsoleFormatterNames.Simple)]
    [TestCase("Development", "json", ConsoleFormatterNames.Json)]
    public async Task TheConsoleFormIsJsonOutsideDevelopmentUnlessConfigured(string environment, string? configured, string expected)
    {
        var keys = Directory.CreateTempSubdirectory("orian-console-keys-");
        try
        {
            var settings = new Dictionary<string, string?> { ["Orian:DataProtection:KeysFolder"] = keys.FullName };
            if (configured is not null)
            {
                settings["Logging:Console:FormatterName"] = configured;
            }

            await using var app = OrianApp.Build(["--environment", environment, "--urls", "http://127.0.0.1:0"], settings: settings);
            Assert.That(app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName, Is.EqualTo(expected));
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}
