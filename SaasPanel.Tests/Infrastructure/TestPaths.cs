namespace SaasPanel.Tests.Infrastructure;

/// <summary>Where the repository and a test's private scratch space are.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A fresh directory under the system temp folder, unique per call.</summary>
    public static string NewScratchDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "saaspanel-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>An instance id no other test (or running system) uses, so label-scoped cleanup is safe.</summary>
    public static string NewInstanceId(string purpose) => $"t{purpose}{Guid.NewGuid():N}"[..20];

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SaasPanel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SaasPanel.sln above {AppContext.BaseDirectory}.");
    }
}
