using System.Diagnostics;
using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// A lab of <c>scripts/swarm-lab</c>: dockerds in network namespaces joined as one swarm. Node i of a lab is at
/// <c>&lt;net&gt;.(10+i)</c>; node 1 is the manager. Labs of different names coexist.
/// </summary>
public sealed class SwarmLab(string name, string net)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _up = new(1, 1);
    private bool _isUp;

    /// <summary>
    /// The tests' one-node swarm (<c>scripts/test</c> starts and removes it); <c>SAASPANEL_SWARM_LAB=name:net</c> points
    /// a run of some tests at a lab of its own instead, beside the one CI uses.
    /// </summary>
    public static SwarmLab Test { get; } = FromVariable("SAASPANEL_SWARM_LAB") ?? new("test", "10.231.2");

    /// <summary>The lab an environment variable names as <c>name:net</c> (e.g. <c>check:10.231.7</c>), or null.</summary>
    public static SwarmLab? FromVariable(string variable) =>
        Environment.GetEnvironmentVariable(variable)?.Split(':') is [{ Length: > 0 } name, { Length: > 0 } net] ? new SwarmLab(name, net) : null;

    public string ManagerEndpoint => NodeEndpoint(1);

    /// <summary>Node i's own engine (its dockerd's socket), which alone knows its containers and volumes.</summary>
    public string NodeEndpoint(int node) => $"unix:///var/tmp/saaspanel-swarm-{name}/{node}/docker.sock";

    public string NodeAddress(int node) => $"{net}.{10 + node}";

    /// <summary>The node at this address (as swarm reports it, <c>Status.Addr</c>), or 0 when it is not one of the lab's.</summary>
    public int NodeAt(string address) =>
        address.StartsWith(net + ".", StringComparison.Ordinal)
        && int.TryParse(address.AsSpan(net.Length + 1), System.Globalization.CultureInfo.InvariantCulture, out var octet) ? octet - 10 : 0;

    /// <summary>Starts the lab with this many nodes (idempotent), once per process.</summary>
    public async Task EnsureUpAsync(int nodes)
    {
        await _up.WaitAsync();
        try
        {
            if (!_isUp)
            {
                await RunAsync("up", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _isUp = true;
            }
        }
        finally
        {
            _up.Release();
        }
    }

    /// <summary>Runs <c>scripts/swarm-lab &lt;arguments&gt;</c> for this lab; returns its output, throws with it on failure.</summary>
    public Task<string> RunAsync(params string[] arguments) =>
        RunProcessAsync(Path.Combine(TestPaths.RepositoryRoot, "scripts", "swarm-lab"), arguments);

    /// <summary>
    /// Builds an image from a Dockerfile alone (no context; <c>FROM scratch</c>, as there is no registry) on node i's own
    /// engine and labels the node as holding it, as <c>scripts/swarm-lab fill</c> does for the template images.
    /// </summary>
    public async Task BuildImageAsync(int node, string tag, string dockerfile)
    {
        var engine = NodeEndpoint(node);
        await RunProcessAsync("docker", ["-H", engine, "build", "--quiet", "--tag", tag, "-"], dockerfile);
        var imageId = (await RunProcessAsync("docker", ["-H", engine, "image", "inspect", "--format", "{{.Id}}", tag])).Trim();
        var nodeId = (await RunProcessAsync("docker", ["-H", engine, "info", "--format", "{{.Swarm.NodeID}}"])).Trim();
        await RunProcessAsync("docker", ["-H", ManagerEndpoint, "node", "update", "--label-add", $"{WorkspaceLabels.NodeImageLabel(imageId)}=true", nodeId]);
    }

    private async Task<string> RunProcessAsync(string command, string[] arguments, string? input = null)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SWARM_LAB_NAME"] = name, ["SWARM_LAB_NET"] = net },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = new CancellationTokenSource(ScriptTimeout);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
        }

        return await output;
    }
}
