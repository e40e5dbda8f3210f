using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SaasPanel.Contracts;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// One service in memory with its own SQLite file in a scratch directory, so integration tests
/// run against real EF Core migrations without touching the developer's data.
/// </summary>
/// <remarks>
/// Pass the <see cref="ServiceData"/> of an earlier factory to start the same service again on its
/// data (a restart); the factory that created the data deletes it. <paramref name="configure"/> runs
/// last, for what settings cannot say (extra services, such as a telemetry exporter).
/// </remarks>
public sealed class ServiceFactory<TEntryPoint>(string connectionName, IReadOnlyDictionary<string, string?>? settings = null,
    ServiceData? data = null, string environment = "Development", Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public ServiceData Data { get; } = data ?? ServiceData.Create(connectionName);

    public string DataDirectory => Data.DataDirectory;

    public string DatabasePath => Path.Combine(DataDirectory, connectionName + ".db");

    /// <summary>This factory's own engine label: a Control in a test never sees (or prunes) anyone else's containers.</summary>
    public string InstanceId => Data.InstanceId;

    public string ApiKey => Data.ApiKey;

    /// <summary>An HTTP client that presents the Control API key.</summary>
    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(Headers.ApiKey, ApiKey);
        return client;
    }

    /// <summary>
    /// A client signed in as <paramref name="userName"/> with <paramref name="role"/>: the shared sign-in
    /// cookie, sealed by this service's own Data Protection keys, as Auth would have issued it.
    /// </summary>
    public HttpClient CreateSignedInClient(string userName, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, userName), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), CookieAuthenticationDefaults.AuthenticationScheme);
        var cookie = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat.Protect(ticket);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("Cookie", $"{SharedSignInExtensions.CookieName}={cookie}");
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting($"ConnectionStrings:{connectionName}", $"Data Source={DatabasePath}");
        builder.UseSetting("DataProtection:KeyDirectory", Path.Combine(DataDirectory, "keys"));
        builder.UseSetting("Runtime:InstanceId", InstanceId);
        builder.UseSetting("Runtime:Templates:userapp:Image", DockerTestEngine.UserAppImageTag);
        builder.UseSetting("Runtime:Templates:static:Image", DockerTestEngine.StaticImageTag);
        builder.UseSetting("ApiAccess:ApiKey", ApiKey);
        builder.UseSetting("Health:ApiKey", ApiKey);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        configure?.Invoke(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (data is null)
        {
            // A Control creates its network at start, even with no workspace: nothing of its instance stays on the engine.
            using var docker = DockerTestEngine.CreateClient();
            await DockerTestEngine.RemoveInstanceAsync(docker, InstanceId);
            Data.Delete();
        }
    }
}

/// <summary>What a service keeps between runs: its data directory, engine instance id and API key.</summary>
public sealed record ServiceData(string DataDirectory, string InstanceId, string ApiKey)
{
    public static ServiceData Create(string purpose) => new(
        TestPaths.NewScratchDirectory(purpose), TestPaths.NewInstanceId(purpose), $"test-api-key-{Guid.NewGuid():N}");

    public void Delete()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
