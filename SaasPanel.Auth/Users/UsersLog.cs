namespace SaasPanel.Auth.Users;

internal static partial class UsersLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} registered")]
    public static partial void Registered(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registration of {UserName} refused: the maximum number of workspaces is reached")]
    public static partial void SignUpFull(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-ins as {AccountName} from {Network} wait until {BlockedUntil:u} after repeated failures")]
    public static partial void Throttled(ILogger logger, string accountName, string network, DateTime blockedUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} deleted; their sessions end and their workspace is queued for removal")]
    public static partial void Deleted(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "{UserName} was approved by {ApprovedBy}; their workspace is on its way")]
    public static partial void Approved(ILogger logger, string userName, string approvedBy);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} sign-in throttle record(s) that no longer block anything")]
    public static partial void ThrottlesPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the sign-in throttle records failed; trying again at the next interval")]
    public static partial void ThrottlePruningFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{UserName} signed in")]
    public static partial void SignedIn(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the administrator {UserName} with the Development default password; configure Admin:Password for anything else")]
    public static partial void SeededDevelopmentAdmin(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the administrator {UserName}")]
    public static partial void SeededAdmin(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied the configured password to the administrator {UserName}")]
    public static partial void ChangedAdminPassword(ILogger logger, string userName);
}
