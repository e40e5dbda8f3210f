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
        Endpoint = ResolveEndpoint(options.Value.DockerHost);
        Client = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();
    }

    public string Endpoint { get; }

    public DockerClient Client { get; }

    public void Dispose() => Client.Dispose();

    internal static string ResolveEndpoint(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? configured
        : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultEndpoint;
}
