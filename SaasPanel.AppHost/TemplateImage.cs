using System.Diagnostics;
using System.Text;

namespace SaasPanel.AppHost;

/// <summary>
/// The image of one app template (the built-in UserApp, the static file server), built from this checkout by
/// <c>scripts/build-&lt;name&gt;-image</c>. The script tags each build with a hash of its inputs; Control is given that
/// tag, never a shared name such as <c>saaspanel-userapp:latest</c>, which another checkout building on the same
/// engine would move (and Control would roll every workspace to that image).
/// </summary>
public sealed class TemplateImage(string name, string repositoryRoot)
{
    public static TemplateImage UserApp(string repositoryRoot) => new("userapp", repositoryRoot);

    public static TemplateImage Static(string repositoryRoot) => new("static", repositoryRoot);

    /// <summary>The AppHost resource that builds the image.</summary>
    public string ResourceName => $"{name}-image";

    public string BuildScript => Path.Combine(repositoryRoot, "scripts", $"build-{name}-image");

    /// <summary>The tag the build script gives this checkout's image, without building it (a quick hash of its inputs).</summary>
    public string PrintTag()
    {
        using var process = StartBuildScript("--print-tag");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, line) => errors.AppendLine(line.Data);
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return TagFrom(process, output, errors.ToString());
    }

    /// <summary>Builds the image (or finds it, when its inputs are unchanged); returns its tag.</summary>
    public async Task<string> BuildAsync(CancellationToken cancellationToken)
    {
        using var process = StartBuildScript();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return TagFrom(process, await output, await errors);
    }

    private Process StartBuildScript(params string[] arguments)
    {
        var start = new ProcessStartInfo(BuildScript, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {BuildScript}");
    }

    private string TagFrom(Process process, string output, string errors)
    {
        var tag = output.Trim();
        if (process.ExitCode != 0 || tag.Length == 0)
        {
            throw new InvalidOperationException($"{BuildScript} failed ({process.ExitCode}): {errors}");
        }

        return tag;
    }
}
