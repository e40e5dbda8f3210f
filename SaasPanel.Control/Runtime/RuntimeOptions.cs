using System.ComponentModel.DataAnnotations;

namespace SaasPanel.Control.Runtime;

/// <summary>How Control reaches the container engine, what it runs there and within which limits.</summary>
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

    /// <summary>Memory limit of each workspace container, in MiB.</summary>
    [Range(16, 65536)]
    public int MemoryLimitMb { get; set; } = 128;

    /// <summary>CPU limit of each workspace container, in CPUs.</summary>
    [Range(0.05, 64)]
    public double CpuLimit { get; set; } = 0.5;

    /// <summary>Maximum number of processes (threads) in each workspace container.</summary>
    [Range(16, 4096)]
    public int PidsLimit { get; set; } = 128;

    /// <summary>Size of the in-memory /tmp of each workspace container, in MiB.</summary>
    [Range(1, 1024)]
    public int TmpSizeMb { get; set; } = 16;

    /// <summary>How long a started container may take to answer its health endpoint before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Grace period for a stopping container before the engine kills it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
