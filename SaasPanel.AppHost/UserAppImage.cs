using System.Diagnostics;

namespace SaasPanel.AppHost;

/// <summary>
/// The UserApp image of this checkout. <c>scripts/build-userapp-image</c> tags each build with a hash of its
/// inputs; Control is given that tag, never a shared name such as <c>saaspanel-userapp:latest</c>, which another
/// checkout building on the same engine would move (and Control would roll every workspace to that image).
/// </summary>
public static class UserAppImage
{
    public static string BuildScript(string repositoryRoot) => Path.Combine(repositoryRoot, "scripts", "build-userapp-image");

    /// <summary>The tag the build script gives this checkout's UserApp, without building it.</summary>
    public static string TagFor(string repositoryRoot) =>
        RunBuildScriptAsync(repositoryRoot, ["--print-tag"], CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Builds the image (or finds it, when its inputs are unchanged); returns its tag.</summary>
    public static Task<string> BuildAsync(string repositoryRoot, CancellationToken cancellationToken) =>
        RunBuildScriptAsync(repositoryRoot, [], cancellationToken);

    private static async Task<string> RunBuildScriptAsync(string repositoryRoot, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(BuildScript(repositoryRoot), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var tag = (await output).Trim();
        if (process.ExitCode != 0 || tag.Length == 0)
        {
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}");
        }

        return tag;
    }
}
