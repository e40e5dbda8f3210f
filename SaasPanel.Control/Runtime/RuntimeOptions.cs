using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Runtime;

/// <summary>How Control reaches the container engine and what it runs there.</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Runtime";

    /// <summary>
    /// Marks every container this installation owns (label <c>saaspanel.instance</c>), so several
    /// installations and parallel tests share one engine without touching each other's containers.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,30}$", ErrorMessage = "InstanceId must be 1-31 lowercase letters, digits or dashes.")]
    public string InstanceId { get; set; } = "local";

    /// <summary>The engine's endpoint; empty means <c>DOCKER_HOST</c>, then the default Unix socket.</summary>
    public string? DockerHost { get; set; }

    /// <summary>The UserApp image every workspace runs (built locally by <c>scripts/build-userapp-image</c>).</summary>
    [Required]
    public string Image { get; set; } = "saaspanel-userapp:latest";
}
