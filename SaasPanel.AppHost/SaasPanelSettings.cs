using Microsoft.Extensions.Configuration;

namespace SaasPanel.AppHost;

/// <summary>
/// The AppHost's own settings (section <c>SaasPanel</c>), each with a safe default, so that
/// end-to-end tests can run beside a running system by overriding ports, data and instance id.
/// </summary>
internal sealed record SaasPanelSettings(string RepositoryRoot, string DataDirectory, string InstanceId, int AuthPort, int ControlPort)
{
    public static SaasPanelSettings From(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("SaasPanel");
        var dataDirectory = Path.GetFullPath(section["DataDirectory"] ?? Path.Combine(builder.AppHostDirectory, ".data"));
        return new SaasPanelSettings(
            RepositoryRoot: Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")),
            DataDirectory: dataDirectory,
            InstanceId: section["InstanceId"] ?? "local",
            AuthPort: section.GetValue("AuthPort", 5000),
            ControlPort: section.GetValue("ControlPort", 5001));
    }

    /// <summary>How a browser on this machine reaches a service's fixed port (links between the two sites).</summary>
    public string PublicUrl(int port) => $"http://localhost:{port}";

    public string KeyDirectory => Path.Combine(DataDirectory, "keys");

    public string ConnectionString(string database) => $"Data Source={Path.Combine(DataDirectory, database + ".db")}";
}
