using SaasPanel.Control.Runtime;

namespace SaasPanel.Tests.Unit.Control;

public sealed class DockerEngineTests
{
    [Fact]
    public void A_configured_endpoint_wins() =>
        Assert.Equal("tcp://127.0.0.1:2375", DockerEngine.ResolveEndpoint("tcp://127.0.0.1:2375", environment: "unix:///run/other.sock"));

    [Fact]
    public void Without_configuration_the_environment_or_the_default_socket_is_used()
    {
        Assert.Equal("tcp://10.0.0.2:2376", DockerEngine.ResolveEndpoint(" ", environment: "tcp://10.0.0.2:2376"));
        Assert.Equal("unix:///var/run/docker.sock", DockerEngine.ResolveEndpoint(" ", environment: null));
        Assert.Equal("unix:///var/run/docker.sock", DockerEngine.ResolveEndpoint(null, environment: ""));
    }
}
