using Microsoft.AspNetCore.Http.Features;

namespace SaasPanel.Auth.Gateway;

/// <summary>
/// Put in front of the server's upgrade feature for a websocket request, so the stream YARP relays frames over
/// (both ways) is an <see cref="ActivityCountingStream"/>. Only upgradable requests get one: plain requests pay nothing.
/// </summary>
internal sealed class ActivityTrackingUpgradeFeature(IHttpUpgradeFeature inner, WorkspaceActivity activity, string userName) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => activity.Track(await inner.UpgradeAsync(), userName);

    public static void Install(HttpContext context, WorkspaceActivity activity, string userName)
    {
        if (activity.Enabled && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new ActivityTrackingUpgradeFeature(upgrade, activity, userName));
        }
    }
}
