using System.Diagnostics;

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

    /// <summary>The tests' one-node swarm (<c>scripts/test</c> starts and removes it).</summary>
    public static SwarmLab Test { get; } = new("test", "10.231.2");

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
    public async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(TestPaths.RepositoryRoot, "scripts", "swarm-lab"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SWARM_LAB_NAME"] = name, ["SWARM_LAB_NET"] = net },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = new CancellationTokenSource(ScriptTimeout);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start scripts/swarm-lab");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"scripts/swarm-lab {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
        }

        return await output;
    }
}
