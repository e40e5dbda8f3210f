using System.Diagnostics;

namespace SaasPanel.Benchmarks.Machine;

/// <summary>The <c>docker</c> command, as an operator types it: the baseline the panel is measured against.</summary>
internal static class DockerCli
{
    /// <summary>Runs <c>docker</c> with these arguments and returns what it printed; fails on a non-zero exit.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start docker.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {(await errors).Trim()}");
        }

        return (await output).Trim();
    }

    /// <summary>The container's IPv4 address on the network (as <c>docker inspect</c> reports it).</summary>
    public static Task<string> AddressOnAsync(string container, string network, CancellationToken cancellationToken) =>
        RunAsync(["inspect", "--format", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container], cancellationToken);
}
