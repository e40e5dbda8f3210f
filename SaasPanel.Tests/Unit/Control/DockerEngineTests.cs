using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Unit.Control;

public sealed class DockerEngineTests
{
    [Fact]
    public void A_configured_endpoint_wins() =>
        Assert.Equal("tcp://127.0.0.1:2375", DockerEngine.ResolveEndpoint("tcp://127.0.0.1:2375"));

    [Fact]
    public void Without_configuration_the_environment_or_the_default_socket_is_used()
    {
        var expected = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : DockerEngine.DefaultEndpoint;

        Assert.Equal(expected, DockerEngine.ResolveEndpoint(" "));
    }
}
