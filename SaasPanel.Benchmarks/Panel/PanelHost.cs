using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SaasPanel.Control.Runtime;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Benchmarks.Panel;

/// <summary>
/// The whole SaasPanel started through its AppHost (the code <c>scripts/run</c> runs) on the real engine,
/// with its own data directory, instance id and API key, so a run sits beside a developer's system. Its ports are the
/// AppHost's to allocate (port 0): the run reads them from the endpoints once the services started.
/// </summary>
internal sealed class PanelHost : IAsyncDisposable
{
    private const string ControlResource = "control";
    private const string AuthResource = "auth";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromMinutes(2);

    private readonly DistributedApplication _app;
    private readonly ServiceLogFiles _logs;
    private readonly GatewayActivitySetting _gatewayActivity;
    private readonly PoolSizeSetting _poolSize;
    // Control's own engine client: the same endpoint (DOCKER_HOST or the default socket) as the workspaces'.
    private readonly DockerEngine _engine = new(Options.Create(new RuntimeOptions()));

    private PanelHost(DistributedApplication app, ServiceLogFiles logs, GatewayActivitySetting gatewayActivity, PoolSizeSetting poolSize,
        string instanceId, string dataDirectory, string apiKey)
    {
        _app = app;
        _logs = logs;
        _gatewayActivity = gatewayActivity;
        _poolSize = poolSize;
        InstanceId = instanceId;
        DataDirectory = dataDirectory;
        ApiKey = apiKey;
        Pool = new WarmPool(_engine.Client, instanceId);
    }

    public string InstanceId { get; }

    public string DataDirectory { get; }

    public string ApiKey { get; }

    /// <summary>Auth's address as the AppHost allocated it; known once the system started.</summary>
    public Uri AuthAddress => _app.GetEndpoint(AuthResource, "http");

    public Uri ControlAddress => _app.GetEndpoint(ControlResource, "http");

    /// <summary>The UserApp image Control runs: this checkout's, by the tag the AppHost gives Control.</summary>
    public string UserAppImage { get; } = AppHost.TemplateImage.UserApp(Path.GetFullPath(Path.Combine(Projects.SaasPanel_AppHost.ProjectPath, ".."))).PrintTag();

    /// <summary>Control's warm pool, as the engine shows it.</summary>
    public WarmPool Pool { get; }

    public string ControlConnectionString => $"Data Source={Path.Combine(DataDirectory, "control.db")}";

    /// <summary>Starts the AppHost and waits until Auth and Control are healthy; their logs go to <paramref name="logDirectory"/>.</summary>
    public static async Task<PanelHost> StartAsync(string instanceId, string logDirectory, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var dataDirectory = Directory.CreateTempSubdirectory($"saaspanel-{instanceId}-").FullName;
        var apiKey = $"bench-{Guid.NewGuid():N}";
        ProgressLog.Step($"starting the AppHost (data {dataDirectory})");

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SaasPanel_AppHost>(
            [
                // No port is picked here: a port that looks free can be taken before the service binds it.
                "SaasPanel:AuthPort=0",
                "SaasPanel:ControlPort=0",
                $"SaasPanel:DataDirectory={dataDirectory}",
                $"SaasPanel:InstanceId={instanceId}",
                $"Parameters:control-api-key={apiKey}",
            ],
            timeout.Token);
        // The console shows the run's progress; the services' output goes to their log files instead.
        builder.Configuration["Logging:LogLevel:Default"] = nameof(LogLevel.Warning);
        builder.Configuration["Logging:LogLevel:SaasPanel.AppHost.Resources"] = nameof(LogLevel.None);
        // The AppHost's probes fail while Control restarts, which the reconcile step does on purpose.
        builder.Configuration["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = nameof(LogLevel.None);
        builder.WithoutOtlpExporter();

        var auth = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == AuthResource);
        // Every registration comes from 127.0.0.1: lift the per-address limit on sign-up posts, nothing else.
        builder.CreateResourceBuilder(auth).WithEnvironment("SignInRateLimit__PermitLimit", "1000000");
        // Read at each start of Auth, so a restart can turn activity tracking off and on again (the gateway_activity step).
        var gatewayActivity = new GatewayActivitySetting();
        builder.CreateResourceBuilder(auth).WithEnvironment("Gateway__Activity__Enabled", () => gatewayActivity.Enabled ? "true" : "false");
        // Likewise Control's warm pool (Runtime:PoolSize): unset, as scripts/run starts it, until a step restarts Control with a size.
        var poolSize = new PoolSizeSetting();
        var control = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == ControlResource);
        builder.CreateResourceBuilder(control).WithEnvironment(context =>
        {
            if (poolSize.Members is { } members)
            {
                context.EnvironmentVariables["Runtime__PoolSize"] = members.ToString(CultureInfo.InvariantCulture);
            }
        });

        var app = await builder.BuildAsync(timeout.Token);
        var logs = new ServiceLogFiles(app, logDirectory, new HashSet<string> { AuthResource, ControlResource });
        var host = new PanelHost(app, logs, gatewayActivity, poolSize, instanceId, dataDirectory, apiKey);
        try
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(ControlResource, timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync(AuthResource, timeout.Token);
            ProgressLog.Detail($"auth {host.AuthAddress}, control {host.ControlAddress}");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public PanelBrowser NewBrowser() => new(AuthAddress);

    public ControlApi NewControlApi() => new(ControlAddress, ApiKey);

    public Task StopControlAsync(CancellationToken cancellationToken) =>
        RunCommandAsync(ControlResource, KnownResourceCommands.StopCommand, cancellationToken);

    /// <summary>Asks the AppHost to start Control again; returns once the process is launched, not when it is ready.</summary>
    public Task StartControlAsync(CancellationToken cancellationToken) =>
        RunCommandAsync(ControlResource, KnownResourceCommands.StartCommand, cancellationToken);

    public Task StopAuthAsync(CancellationToken cancellationToken) => RunCommandAsync(AuthResource, KnownResourceCommands.StopCommand, cancellationToken);

    /// <summary>
    /// Starts Auth again with the gateway's activity tracking (<c>Gateway:Activity:Enabled</c>) on or off; returns once
    /// the process is launched, not when it is ready.
    /// </summary>
    public Task StartAuthAsync(bool activityTracking, CancellationToken cancellationToken)
    {
        _gatewayActivity.Enabled = activityTracking;
        return RunCommandAsync(AuthResource, KnownResourceCommands.StartCommand, cancellationToken);
    }

    /// <summary>
    /// Restarts Control with its warm pool at <paramref name="poolMembers"/> started workspaces per template (null: Control's
    /// own default, as the system starts) and waits until it is healthy again.
    /// </summary>
    public Task RestartControlAsync(int? poolMembers, CancellationToken cancellationToken) =>
        RestartAsync(ControlResource, ControlAddress, () => _poolSize.Members = poolMembers, cancellationToken);

    /// <summary>
    /// Puts the system back as it started, after a step that changed it or failed half-way: Control with its default pool,
    /// Auth with activity tracking on, both running and healthy. Does nothing to a service that already is.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_poolSize.Members is not null)
        {
            ProgressLog.Detail("restoring Control's default warm pool");
            await RestartControlAsync(null, cancellationToken);
        }

        if (!_gatewayActivity.Enabled)
        {
            ProgressLog.Detail("restoring Auth's activity tracking");
            await RestartAsync(AuthResource, AuthAddress, () => _gatewayActivity.Enabled = true, cancellationToken);
        }

        foreach (var (resource, address) in new[] { (ControlResource, ControlAddress), (AuthResource, AuthAddress) })
        {
            if (!await AnswersAsync(address, cancellationToken))
            {
                ProgressLog.Detail($"{resource} does not answer: starting it again");
                await RunCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
            }

            await WaitUntilHealthyAsync(resource, cancellationToken);
        }
    }

    /// <summary>Stops the service (unless it is down already), changes its settings, starts it and waits until it is healthy.</summary>
    private async Task RestartAsync(string resource, Uri address, Action changeSettings, CancellationToken cancellationToken)
    {
        if (await AnswersAsync(address, cancellationToken))
        {
            await RunCommandAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopping.CancelAfter(StopTimeout);
            // A start while the old process still exits would be refused.
            await _app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, stopping.Token);
        }

        changeSettings();
        await RunCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        await WaitUntilHealthyAsync(resource, cancellationToken);
    }

    /// <summary>True when the service answers <c>/health</c> at all (any status): its process is up.</summary>
    private static async Task<bool> AnswersAsync(Uri address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(new Uri(address, "/health"), cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true; // up, but slow to answer
        }
    }

    private async Task WaitUntilHealthyAsync(string resource, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RestartTimeout);
        try
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{resource} was not healthy {RestartTimeout.TotalMinutes:0} minutes after its restart.");
        }
    }

    private async Task RunCommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await _app.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"'{command}' on {resource} failed: {result.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            await _logs.DisposeAsync();
            _engine.Dispose();
            DeleteDataDirectory();
        }
    }

    private void DeleteDataDirectory()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A service may hold a database file for a moment more; it is under the temp folder anyway.
        }
    }

    /// <summary>Auth's <c>Gateway:Activity:Enabled</c> for its next start; on, as Auth's own default, until a step changes it.</summary>
    private sealed class GatewayActivitySetting
    {
        public bool Enabled { get; set; } = true;
    }

    /// <summary>Control's <c>Runtime:PoolSize</c> for its next start; null leaves Control's own default.</summary>
    private sealed class PoolSizeSetting
    {
        public int? Members { get; set; }
    }
}
