using System.Diagnostics;

namespace SaasPanel.Tests.Infrastructure;

/// <summary>
/// The local <c>dockerd</c> that <c>scripts/docker-up</c> started, stopped and started again with the same command
/// line, as an operator restarting the engine would. Only for tests that run alone (<see cref="EngineRestartCollection"/>).
/// </summary>
public static class DockerDaemon
{
    private const string PidFile = "/var/run/docker.pid";
    private const string LogFile = "/var/log/saaspanel-dockerd.log";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Stops dockerd (SIGTERM, so it stops its containers as a restart does) and starts it again; returns once it answers.</summary>
    public static async Task RestartAsync()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } remote || !File.Exists(PidFile))
        {
            throw new InvalidOperationException(
                $"This test restarts the local dockerd (pid file {PidFile}); it cannot restart an engine at DOCKER_HOST={Environment.GetEnvironmentVariable("DOCKER_HOST")}.");
        }

        var pid = int.Parse(File.ReadAllText(PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        await RunAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await Eventually.GetAsync(() => Task.FromResult(Directory.Exists($"/proc/{pid}")), running => !running, Timeout, "dockerd to stop");

        // Its own session, so it outlives this test process as the one scripts/docker-up started does.
        await RunAsync("setsid", ["-f", "sh", "-c", $"exec \"$@\" >>{LogFile} 2>&1", "sh", .. commandLine]);
        using var docker = DockerTestEngine.CreateClient();
        await Eventually.GetAsync(async () =>
        {
            try
            {
                await docker.System.PingAsync();
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }, answers => answers, Timeout, "dockerd to answer again");
    }

    private static async Task RunAsync(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {errors}");
        }
    }
}

/// <summary>Tests that restart the engine run alone, after every parallel test: nothing else may lose its containers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineRestartCollection
{
    public const string Name = "engine restart";
}
