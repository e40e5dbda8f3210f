using k8s.Models;
using SaasPanel.Contracts;
using SaasPanel.Control.Runtime;
using SaasPanel.Tests.Infrastructure;

namespace SaasPanel.Tests.Unit.Docs;

/// <summary>
/// docs/kubernetes/*.yaml, the objects a KubernetesWorkspaceRuntime would create (docs/kubernetes.md): valid against
/// the published schema, consistent with each other, and the same workspace the docker runtime creates.
/// </summary>
public sealed class KubernetesManifestsTests
{
    private static readonly string Directory = Path.Combine(TestPaths.RepositoryRoot, "docs", "kubernetes");

    public static TheoryData<string> Files() => new(FileNames());

    private static IEnumerable<string> FileNames() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName).OfType<string>().Order();

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_manifest_is_valid_against_the_published_schema(string file)
    {
        var manifests = KubernetesManifests.Load(Read(file));

        Assert.NotEmpty(manifests);
        Assert.All(manifests, m => Assert.Empty(KubernetesManifests.Problems(m)));
    }

    [Theory]
    [InlineData("imagePullPolicy: Never", "imagePulPolicy: Never")]
    [InlineData("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true")]
    [InlineData("containerPort: 8080", "containerPort: eighty")]
    [InlineData("replicas: 1", "replicas: [1]")]
    [InlineData("kind: Deployment", "kind: Deploymant")]
    public void A_misspelt_field_a_wrong_type_or_an_unknown_kind_is_rejected(string field, string broken)
    {
        var yaml = Read("12-workspace-deployment.yaml");
        Assert.Contains(field, yaml, StringComparison.Ordinal);

        Assert.ThrowsAny<Exception>(() => KubernetesManifests.Load(yaml.Replace(field, broken, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("claimName: ws-alice-workspace", "readOnly: false", "V1PersistentVolumeClaimVolumeSource.claimName is required")]
    [InlineData("- name: app\n          image: ", "- image: ", "V1Container.name is required")]
    [InlineData("\n              containerPort: 8080", "", "V1ContainerPort.containerPort is required")]
    // The image id ("sha256:…", 71 characters) is no label value: that is why it is an annotation.
    [InlineData("\n  annotations:\n    saaspanel.io/image-id:", "\n    saaspanel.io/image-id:", "label 'saaspanel.io/image-id' has an invalid value")]
    [InlineData("name: ws-alice\n", "name: ws_alice\n", "not a DNS-1123 label")]
    public void A_missing_required_field_or_an_invalid_name_or_label_is_a_problem(string field, string broken, string problem)
    {
        var yaml = Read("12-workspace-deployment.yaml");
        Assert.Contains(field, yaml, StringComparison.Ordinal);

        var deployment = Assert.Single(KubernetesManifests.Load(yaml.Replace(field, broken, StringComparison.Ordinal)));

        Assert.Contains(KubernetesManifests.Problems(deployment), p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("saaspanel.io/user", true)]
    [InlineData("saaspanel.user", true)]
    [InlineData("images.saaspanel.io/5f0c6b8e2a4d7c1e9b3f6a8d0c2e4b6a8f1d3c5e7a9b0d2f4c6e8a1b3d5f7c9", true)] // 63
    [InlineData("images.saaspanel.io/5f0c6b8e2a4d7c1e9b3f6a8d0c2e4b6a8f1d3c5e7a9b0d2f4c6e8a1b3d5f7c9e", false)] // 64: a whole image id
    [InlineData("saaspanel.io/image:id", false)]
    [InlineData("SaasPanel.IO/user", false)]
    public void Label_keys_follow_the_api_servers_qualified_name_rule(string key, bool valid) =>
        Assert.Equal(valid, KubernetesManifests.IsLabelKey(key));

    [Fact]
    public void The_workspace_carries_the_docker_runtimes_labels_environment_user_and_limits()
    {
        var options = new RuntimeOptions { InstanceId = "local" };
        var template = new WorkspaceTemplate { Image = "saaspanel-userapp:5f0c6b8e2a4d" };
        var spec = new WorkspaceSpec("alice", "example-not-a-real-secret-0123456789abcdef", 3, "userapp", "sha256:5f0c");
        var docker = WorkspaceContainerSettings.For(options, template, spec, WorkspaceLabels.VolumeName(options.InstanceId, spec.UserName));

        var deployment = Single<V1Deployment>("12-workspace-deployment.yaml");
        var pod = deployment.Spec.Template;
        var container = Assert.Single(pod.Spec.Containers);

        // saaspanel.<name> → saaspanel.io/<name>, the same values; a Deployment is never renamed (no warm pool), so it
        // names its user in a label, as a swarm service does, where a container names it in its name.
        var labels = docker.Labels.Append(new(WorkspaceLabels.User, spec.UserName))
            .ToDictionary(l => "saaspanel.io/" + l.Key["saaspanel.".Length..], l => l.Value);
        Assert.Equal(labels.OrderBy(l => l.Key), pod.Metadata.Labels.OrderBy(l => l.Key));
        Assert.Equal(labels.OrderBy(l => l.Key), deployment.Metadata.Labels.OrderBy(l => l.Key));
        Assert.Equal(docker.Environment.Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)]).Order(), container.Env.Select(e => e.Name).Order());
        Assert.Equal(WorkspaceContainerSettings.User, $"{pod.Spec.SecurityContext.RunAsUser}:{pod.Spec.SecurityContext.RunAsGroup}");
        Assert.Equal(docker.MemoryBytes, container.Resources.Limits["memory"].ToInt64());
        Assert.Equal(docker.NanoCpus, (long)(container.Resources.Limits["cpu"].ToDecimal() * 1_000_000_000));
        Assert.Equal(docker.TmpSizeMb * 1024L * 1024L, pod.Spec.Volumes.Single(v => v.Name == "tmp").EmptyDir.SizeLimit.ToInt64());
        Assert.Equal(WorkspaceContainer.Port, Assert.Single(container.Ports).ContainerPort);
        Assert.Equal(WorkspaceContainer.HealthPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(WorkspaceContainer.Directory, container.VolumeMounts.Single(m => m.Name == "workspace").MountPath);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(template.ReadOnlyRoot, container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        Assert.Equal((long)options.StopTimeout.TotalSeconds, pod.Spec.TerminationGracePeriodSeconds);
    }

    [Fact]
    public void The_workspaces_objects_refer_to_each_other_by_names_and_labels_that_exist()
    {
        var deployment = Single<V1Deployment>("12-workspace-deployment.yaml");
        var service = Single<V1Service>("13-workspace-service.yaml");
        var secret = Single<V1Secret>("10-workspace-secret.yaml");
        var claim = Single<V1PersistentVolumeClaim>("11-workspace-pvc.yaml");
        var gatewayIngress = Single<V1NetworkPolicy>("03-networkpolicy-gateway-ingress.yaml");
        var namespaceName = Single<V1Namespace>("00-namespace.yaml").Metadata.Name;
        var podLabels = deployment.Spec.Template.Metadata.Labels;
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        var portNames = container.Ports.Select(p => p.Name).ToList();

        Assert.All(FileNames().Where(f => !f.StartsWith("00-", StringComparison.Ordinal)).SelectMany(f => KubernetesManifests.Load(Read(f))),
            m => Assert.Equal(namespaceName, m.Metadata.NamespaceProperty));
        Assert.Subset(podLabels.ToHashSet(), deployment.Spec.Selector.MatchLabels.ToHashSet());
        Assert.Subset(podLabels.ToHashSet(), service.Spec.Selector.ToHashSet());
        Assert.Subset(podLabels.ToHashSet(), gatewayIngress.Spec.PodSelector.MatchLabels.ToHashSet());
        Assert.Contains(service.Spec.Ports.Single().TargetPort.Value, portNames);
        Assert.Contains(gatewayIngress.Spec.Ingress.Single().Ports.Single().Port.Value, portNames);
        Assert.Equal(claim.Metadata.Name, deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "workspace").PersistentVolumeClaim.ClaimName);
        var secretRef = container.Env.Single(e => e.Name == WorkspaceEnvironment.GatewaySecret).ValueFrom.SecretKeyRef;
        Assert.Equal(secret.Metadata.Name, secretRef.Name);
        Assert.Contains(secretRef.Key, secret.StringData.Keys);
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Directory, file));

    private static T Single<T>(string file) => Assert.IsType<T>(Assert.Single(KubernetesManifests.Load(Read(file))));
}
