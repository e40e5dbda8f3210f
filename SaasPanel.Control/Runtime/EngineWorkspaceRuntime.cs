using System.Globalization;
using System.Runtime.CompilerServices;
using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// What the runtimes on one Docker API (plain containers, swarm services) do alike: templates and their images on the
/// engine Control talks to, readiness at the workspace's endpoint, the workspaces' volumes, and reading log lines.
/// </summary>
internal abstract class EngineWorkspaceRuntime(
    DockerEngine engine, WorkspaceReadinessProbe probe, WorkspaceVolumes volumes, IOptions<RuntimeOptions> options)
{
    protected RuntimeOptions Options { get; } = options.Value;

    protected DockerClient Docker => engine.Client;

    public string EngineEndpoint => engine.Endpoint;

    /// <summary>The docker command the log stream stands for, in traces.</summary>
    protected abstract string LogsCommand { get; }

    public async Task<string> ResolveImageAsync(string template, CancellationToken cancellationToken)
    {
        // On a swarm, the manager holds every template image (it is where they are built or loaded first).
        var image = Template(template).Image;
        return (await EngineTrace.TraceAsync("docker image inspect", () => Docker.Images.InspectImageAsync(image, cancellationToken))).ID;
    }

    protected WorkspaceTemplate Template(string name) =>
        Options.FindTemplate(name) ?? throw new WorkspaceRuntimeException($"No template '{name}' is configured (Runtime:Templates).");

    public Task<bool> WaitUntilReadyAsync(WorkspaceInstance container, TimeSpan timeout, CancellationToken cancellationToken) =>
        container.Endpoint is { } endpoint
            ? probe.WaitUntilReadyAsync(endpoint, Template(container.Template).ReadinessPath, timeout, cancellationToken)
            : Task.FromResult(false);

    /// <summary>What the workspace's container or service is given, with the user's volume as the engine holds it.</summary>
    protected async Task<WorkspaceContainerSettings> SettingsAsync(WorkspaceTemplate template, WorkspaceSpec spec, CancellationToken cancellationToken) =>
        WorkspaceContainerSettings.For(Options, template, spec, spec.VolumeName ?? await volumes.NameOfAsync(spec.UserName, cancellationToken));

    public Task RemoveDataAsync(string? userName, string? volumeName, CancellationToken cancellationToken) =>
        volumes.RemoveAsync(userName, volumeName, cancellationToken);

    public Task<IReadOnlyList<string>> ListPoolDataAsync(CancellationToken cancellationToken) => volumes.ListPoolMembersAsync(cancellationToken);

    public Task<bool> HasDataAsync(string userName, CancellationToken cancellationToken) => volumes.ExistAsync(userName, cancellationToken);

    public Task<WorkspaceDataSizes> GetDataSizesAsync(CancellationToken cancellationToken) => volumes.SizesAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListDataAsync(CancellationToken cancellationToken) => volumes.ListUsersAsync(cancellationToken);

    public async IAsyncEnumerable<string> GetLogsAsync(string containerId, int tail, bool follow,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The span covers opening the stream only: following it lasts as long as the reader stays.
        using var stream = await EngineTrace.TraceAsync(LogsCommand,
            () => OpenLogsAsync(containerId, tail.ToString(CultureInfo.InvariantCulture), follow, cancellationToken), containerId);
        await foreach (var line in EngineStreams.ReadLinesAsync(stream, cancellationToken))
        {
            yield return line;
        }
    }

    /// <summary>Opens the workspace's output (stdout and stderr, timestamped), its last <paramref name="tail"/> lines first.</summary>
    protected abstract Task<MultiplexedStream> OpenLogsAsync(string containerId, string tail, bool follow, CancellationToken cancellationToken);
}
