namespace Orian.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples", "scenarios");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orian.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Orian.sln not found above the test directory.");
    }
}
