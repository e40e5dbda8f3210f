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
    public static string TagFor(string repositoryRoot)
    {
        var start = new ProcessStartInfo(BuildScript(repositoryRoot), "--print-tag")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var errors = process.StandardError.ReadToEndAsync();
        var tag = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0 || tag.Length == 0)
        {
            throw new InvalidOperationException($"{start.FileName} --print-tag failed ({process.ExitCode}): {errors.Result}");
        }

        return tag;
    }
}
