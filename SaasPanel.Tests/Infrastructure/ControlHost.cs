using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Docker.DotNet;
using Microsoft.AspNetCore.Hosting;
using SaasPanel.Control.Apis;
using SaasPanel.Control.Data;
using SaasPanel.Control.Workspaces;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// Control in memory on the real engine, with its own instance id, a client holding the API key, and
/// waits with deadlines. Disposing it removes everything labelled with its instance id. Given a
/// <c>port</c>, it serves on Kestrel at 127.0.0.1 there, for another service to call over real HTTP. Given a
/// <c>runtime</c>, it drives that engine (a swarm's manager) instead of the host's. It keeps no warm pool unless the
/// settings give it a <c>Runtime:PoolSize</c>.
/// </summary>
public sealed class ControlHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly bool _ownsData;

    public ControlHost(ServiceData? data = null, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IWebHostBuilder>? configure = null, int? port = null, TestRuntime? runtime = null)
    {
        _ownsData = data is null;
        Runtime = runtime ?? new DockerTestRuntime();
        Docker = Runtime.CreateClient();
        // No warm pool unless a test asks for one: a pool's members would take part in every other feature's counts.
        var merged = new Dictionary<string, string?> { ["Runtime:PoolSize"] = "0" }.Concat(Runtime.Settings)
            .Concat(settings ?? new Dictionary<string, string?>())
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        Factory = new ServiceFactory<ControlDbContext>("control", merged, data ?? ServiceData.Create("control"), configure: configure);
        if (port is { } kestrelPort)
        {
            Factory.UseKestrel(kestrelPort);
        }

        Api = Factory.CreateApiClient();
    }

    public ServiceFactory<ControlDbContext> Factory { get; }

    public ServiceData Data => Factory.Data;

    public HttpClient Api { get; }

    /// <summary>The engine Control drives, and how a test looks at it.</summary>
    public TestRuntime Runtime { get; }

    public DockerClient Docker { get; }

    public Task<HttpResponseMessage> ProvisionAsync(string user, string? email = null, string? template = null) =>
        Api.PutAsJsonAsync($"/api/workspaces/{user}", new { email = email ?? $"{user}@example.com", template });

    public async Task<WorkspaceDto?> GetAsync(string user)
    {
        using var response = await Api.GetAsync($"/api/workspaces/{user}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<WorkspaceDto>(Json) : null;
    }

    /// <summary>Polls the API until the workspace reaches the state (and, if given, satisfies the condition).</summary>
    public async Task<WorkspaceDto> WaitForStateAsync(string user, WorkspaceState state, TimeSpan timeout,
        Func<WorkspaceDto, bool>? condition = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        WorkspaceDto? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(user);
            if (last?.State == state && (condition is null || condition(last)))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{user} did not become {state} within {timeout.TotalSeconds} s; last seen: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Factory.DisposeAsync();
        if (_ownsData)
        {
            await DockerTestEngine.RemoveInstanceAsync(Docker, Data.InstanceId);
            Data.Delete();
        }

        Docker.Dispose();
    }
}
