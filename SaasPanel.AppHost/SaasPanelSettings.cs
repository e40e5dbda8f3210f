using Microsoft.Extensions.Configuration;

namespace SaasPanel.AppHost;

/// <summary>
/// The AppHost's own settings (section <c>SaasPanel</c>), each with a safe default, so that
/// end-to-end tests can run beside a running system by overriding ports, data and instance id.
/// A port of 0 lets the AppHost allocate one (tests and benchmarks read it from the endpoint).
/// </summary>
internal sealed record SaasPanelSettings(string RepositoryRoot, string DataDirectory, string InstanceId, int? AuthPort, int? ControlPort)
{
    public static SaasPanelSettings From(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("SaasPanel");
        var dataDirectory = Path.GetFullPath(section["DataDirectory"] ?? Path.Combine(builder.AppHostDirectory, ".data"));
        return new SaasPanelSettings(
            RepositoryRoot: Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")),
            DataDirectory: dataDirectory,
            InstanceId: section["InstanceId"] ?? "local",
            AuthPort: FixedPort(section.GetValue("AuthPort", 5000)),
            ControlPort: FixedPort(section.GetValue("ControlPort", 5001)));
    }

    public string KeyDirectory => Path.Combine(DataDirectory, "keys");

    public string ConnectionString(string database) => $"Data Source={Path.Combine(DataDirectory, database + ".db")}";

    /// <summary>
    /// Null for 0: Aspire then allocates the endpoint's port itself, outside the OS's ephemeral range, when it starts the
    /// service (its proxyless port allocator), so nobody has to pick a "free" port beforehand and race for it.
    /// </summary>
    private static int? FixedPort(int port) => port == 0 ? null : port;
}
