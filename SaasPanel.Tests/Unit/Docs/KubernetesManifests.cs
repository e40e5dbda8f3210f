using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace SaasPanel.Tests.Unit.Docs;

/// <summary>
/// Offline validation of Kubernetes manifests, with no API server: each document is read strictly into the
/// KubernetesClient model type of its apiVersion/kind (types generated from Kubernetes' published OpenAPI document),
/// so an unknown (misspelt) field or a value of the wrong type is an error; then the fields the published schema
/// marks required, and the name and label syntax the API server enforces beyond the schema.
/// </summary>
public static partial class KubernetesManifests
{
    /// <summary>
    /// The "required" lists of the published schema for the types these manifests use (the OpenAPI document's
    /// definitions, as kubernetes-json-schema publishes them, e.g. <c>master-local/container.json</c>).
    /// </summary>
    private static readonly Dictionary<Type, string[]> RequiredFields = new()
    {
        [typeof(V1Deployment)] = ["spec"],
        [typeof(V1DeploymentSpec)] = ["selector", "template"],
        [typeof(V1PodSpec)] = ["containers"],
        [typeof(V1Container)] = ["name"],
        [typeof(V1ContainerPort)] = ["containerPort"],
        [typeof(V1EnvVar)] = ["name"],
        [typeof(V1SecretKeySelector)] = ["key"],
        [typeof(V1HTTPGetAction)] = ["port"],
        [typeof(V1VolumeMount)] = ["name", "mountPath"],
        [typeof(V1Volume)] = ["name"],
        [typeof(V1PersistentVolumeClaimVolumeSource)] = ["claimName"],
        [typeof(V1SeccompProfile)] = ["type"],
        [typeof(V1LimitRangeSpec)] = ["limits"],
        [typeof(V1LimitRangeItem)] = ["type"],
        [typeof(V1IPBlock)] = ["cidr"],
        [typeof(V1ServicePort)] = ["port"],
        [typeof(V1LabelSelectorRequirement)] = ["key", "operator"],
    };

    /// <summary>Reads every document of a YAML file strictly; throws on an unknown field, a wrong type or an unknown kind.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load(string yaml) =>
        KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

    /// <summary>What the API server would reject beyond the types: missing required fields, bad names and labels.</summary>
    public static IReadOnlyList<string> Problems(IKubernetesObject<V1ObjectMeta> manifest)
    {
        var problems = new List<string>();
        var name = manifest.Metadata?.Name;
        if (name is null || !DnsLabel().IsMatch(name))
        {
            problems.Add($"{manifest.Kind}: metadata.name '{name}' is not a DNS-1123 label (lower case, digits, '-', at most 63).");
        }

        FindMissingRequired(manifest, manifest.Kind, problems);
        foreach (var labels in LabelMaps(manifest))
        {
            problems.AddRange(labels.Where(l => !IsLabelKey(l.Key)).Select(l => $"{manifest.Kind} {name}: label key '{l.Key}' is invalid."));
            problems.AddRange(labels.Where(l => !LabelValue().IsMatch(l.Value)).Select(l => $"{manifest.Kind} {name}: label '{l.Key}' has an invalid value '{l.Value}'."));
        }

        return problems;
    }

    /// <summary>A qualified name: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static bool IsLabelKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var prefix = slash < 0 ? null : key[..slash];
        var label = key[(slash + 1)..];
        return label.Length <= 63 && LabelName().IsMatch(label) && (prefix is null || (prefix.Length <= 253 && DnsSubdomain().IsMatch(prefix)));
    }

    private static IEnumerable<IDictionary<string, string>> LabelMaps(object manifest)
    {
        var maps = new List<IDictionary<string, string>>();
        Walk(manifest, node =>
        {
            switch (node)
            {
                case V1ObjectMeta { Labels: { } labels }:
                    maps.Add(labels);
                    break;
                case V1LabelSelector { MatchLabels: { } matchLabels }:
                    maps.Add(matchLabels);
                    break;
                case V1ServiceSpec { Selector: { } selector }:
                    maps.Add(selector);
                    break;
            }
        });
        return maps;
    }

    private static void FindMissingRequired(object manifest, string kind, List<string> problems) => Walk(manifest, node =>
    {
        if (!RequiredFields.TryGetValue(node.GetType(), out var required))
        {
            return;
        }

        foreach (var field in required)
        {
            var property = node.GetType().GetProperties().Single(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == field);
            var value = property.GetValue(node);
            // A required int (a port) that is absent reads as 0, which no port is.
            if (value is null or 0)
            {
                problems.Add($"{kind}: {node.GetType().Name}.{field} is required.");
            }
        }
    });

    /// <summary>Calls <paramref name="visit"/> on every model object in the graph, depth first.</summary>
    private static void Walk(object node, Action<object> visit)
    {
        visit(node);
        foreach (var property in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetValue(node) is not { } value)
            {
                continue;
            }

            foreach (var child in value is IEnumerable items and not string ? items.Cast<object?>() : [value])
            {
                if (child is not null && child.GetType().Namespace == typeof(V1Pod).Namespace)
                {
                    Walk(child, visit);
                }
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
