using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace SaasPanel.Control.Runtime;

/// <summary>
/// The one cached Docker.DotNet client of this process, and the endpoint it talks to
/// (named in every error, so an operator knows which engine is meant).
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    public DockerEngine(IOptions<RuntimeOptions> options)
    {
        Endpoint = ResolveEndpoint(options.Value.DockerHost, Environment.GetEnvironmentVariable("DOCKER_HOST"));
        Client = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();
    }

    public string Endpoint { get; }

    public DockerClient Client { get; }

    public void Dispose() => Client.Dispose();

    /// <summary>The configured endpoint, else <c>DOCKER_HOST</c> (<paramref name="environment"/>), else the default socket.</summary>
    internal static string ResolveEndpoint(string? configured, string? environment) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
        : !string.IsNullOrEmpty(environment) ? environment
        : DefaultEndpoint;
}
