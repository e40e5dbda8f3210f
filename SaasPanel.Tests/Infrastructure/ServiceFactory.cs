using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// One service in memory with its own SQLite file in a scratch directory, so integration tests
/// run against real EF Core migrations without touching the developer's data.
/// </summary>
public sealed class ServiceFactory<TEntryPoint>(
    string connectionName, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development")
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public string DataDirectory { get; } = TestPaths.NewScratchDirectory(connectionName);

    public string DatabasePath => Path.Combine(DataDirectory, connectionName + ".db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting($"ConnectionStrings:{connectionName}", $"Data Source={DatabasePath}");
        builder.UseSetting("DataProtection:KeyDirectory", Path.Combine(DataDirectory, "keys"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
