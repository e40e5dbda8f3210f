using Yarp.ReverseProxy.Forwarder;

namespace SaasPanel.Auth.Gateway;

internal static partial class GatewayLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Route table synchronized with Control: {Count} workspaces")]
    public static partial void Synchronized(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Workspace {UserName} is now {State} (generation {Generation})")]
    public static partial void RouteChanged(ILogger logger, string userName, string state, long generation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored an out-of-order event for workspace {UserName} (generation {Generation}): the route table holds a newer one")]
    public static partial void StaleEvent(ILogger logger, string userName, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control's change stream ended; reconnecting")]
    public static partial void StreamEnded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control's change stream is unavailable (failure {Failures}): {Error}; reconnecting with backoff")]
    public static partial void StreamFailed(ILogger logger, int failures, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed workspace event: {Error}")]
    public static partial void BadEvent(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked Control to start workspace {UserName} for a waiting visitor")]
    public static partial void Woke(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake workspace {UserName}: {Error}")]
    public static partial void WakeFailed(ILogger logger, string userName, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to workspace {UserName} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string userName, ForwarderError error, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the activity of {Count} workspaces to Control: {Error}; sending it again next time")]
    public static partial void ActivityReportFailed(ILogger logger, int count, string? error);
}
