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

    /// <summary>This factory's own engine label: a Control in a test never sees (or prunes) anyone else's containers.</summary>
    public string InstanceId { get; } = TestPaths.NewInstanceId(connectionName);

    public string ApiKey { get; } = $"test-api-key-{Guid.NewGuid():N}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting($"ConnectionStrings:{connectionName}", $"Data Source={DatabasePath}");
        builder.UseSetting("DataProtection:KeyDirectory", Path.Combine(DataDirectory, "keys"));
        builder.UseSetting("Runtime:InstanceId", InstanceId);
        builder.UseSetting("ControlApi:ApiKey", ApiKey);
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
