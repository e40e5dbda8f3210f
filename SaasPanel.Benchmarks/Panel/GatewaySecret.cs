namespace SaasPanel.Benchmarks.Panel;

/// <summary>The header a UserApp container wants on every request (it answers 403 without it).</summary>
internal static class GatewaySecret
{
    public const string HeaderName = "X-SaasPanel-Gateway-Secret";
}
