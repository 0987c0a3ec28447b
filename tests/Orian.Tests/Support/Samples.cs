namespace Orian.Tests.Support;

/// <summary>Payloads shared by tests and benchmarks, read from <c>samples/</c>.</summary>
internal static class Samples
{
    public static string OfficialExample => File.ReadAllText(Path.Combine(Root, "samples", "orian-v2-example.json"));

    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orian.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Orian.sln) above the test binaries.");
        }
    }
}
