using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Docker.DotNet.Models;
using SaasPanel.Contracts;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// One whole SaasPanel (AppHost, real Docker engine) shared by a test class: its own ports (the AppHost
/// allocates them), data directory, instance id and API key, so it runs beside a developer's system and
/// other tests. Its containers are removed by its instance label when the class is done, whatever happened.
/// </summary>
public sealed class PanelAppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    private readonly string _dataDirectory = TestPaths.NewScratchDirectory("e2e-panel");

    public DistributedApplication App { get; private set; } = null!;

    public string InstanceId { get; } = TestPaths.NewInstanceId("auth");

    public string ApiKey { get; } = $"e2e-{Guid.NewGuid():N}";

    /// <summary>Auth's address as the AppHost allocated it (known once started).</summary>
    public Uri AuthAddress => App.GetEndpoint("auth", "http");

    public Uri ControlAddress => App.GetEndpoint("control", "http");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SaasPanel_AppHost>(
            [
                // Port 0: the AppHost allocates each port when it starts the service, so no test races another for it.
                "SaasPanel:AuthPort=0",
                "SaasPanel:ControlPort=0",
                $"SaasPanel:DataDirectory={_dataDirectory}",
                $"SaasPanel:InstanceId={InstanceId}",
                $"Parameters:control-api-key={ApiKey}",
            ],
            timeout.Token);
        // Acceptance 4 stops Control; an exporter flushing into the missing dashboard would make that stop fail.
        builder.WithoutOtlpExporter();

        var auth = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "auth");
        builder.CreateResourceBuilder(auth)
            // Tests register many users from one address and must not wait long for a restarted Control.
            .WithEnvironment("SignInRateLimit__PermitLimit", "100000")
            .WithEnvironment("Outbox__MaxRetryDelay", "00:00:02")
            .WithEnvironment("ChangeStream__MaxReconnectDelay", "00:00:01");

        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("control", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("auth", timeout.Token);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (App is not null)
            {
                await App.StopAsync();
                await App.DisposeAsync();
            }
        }
        finally
        {
            using var docker = DockerTestEngine.CreateClient();
            await DockerTestEngine.RemoveInstanceAsync(docker, InstanceId);
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A process may still hold a database file for a moment; the scratch folder is in temp anyway.
            }
        }
    }

    /// <summary>A browser against Auth: cookies kept (and sent to Control's port too, as browsers do), redirects not followed.</summary>
    public AuthTestClient NewBrowser() => new(new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseProxy = false })
    {
        BaseAddress = AuthAddress,
        Timeout = TimeSpan.FromSeconds(60),
    });

    public HttpClient NewControlApiClient()
    {
        var client = new HttpClient(new HttpClientHandler { UseProxy = false }) { BaseAddress = ControlAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(Headers.ApiKey, ApiKey);
        return client;
    }

    public async Task<JsonElement?> GetWorkspaceAsync(string userName)
    {
        using var control = NewControlApiClient();
        using var response = await control.GetAsync($"/api/workspaces/{userName}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string userName)
    {
        using var docker = DockerTestEngine.CreateClient();
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{WorkspaceLabels.Instance}={InstanceId}"] = true },
                ["name"] = WorkspaceLabels.NameFilter(InstanceId, userName),
            },
        });
    }

    /// <summary>Stops Control and makes sure it is down: its port refuses connections.</summary>
    public async Task StopControlAsync()
    {
        var stopped = await App.ResourceCommands.ExecuteCommandAsync("control", KnownResourceCommands.StopCommand);
        Assert.True(stopped.Success, $"stopping Control failed: {stopped.Message}");
        using var control = NewControlApiClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => control.GetAsync("/health"));
    }

    public async Task StartControlAsync()
    {
        await App.ResourceCommands.ExecuteCommandAsync("control", KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("control", timeout.Token);
    }
}
