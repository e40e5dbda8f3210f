namespace SaasPanel.Auth.Users;

internal static partial class UsersLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} registered")]
    public static partial void Registered(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserName} locked out until {LockedUntil:u} after repeated failed sign-ins")]
    public static partial void LockedOut(ILogger logger, string userName, DateTime lockedUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} deleted; their sessions end and their workspace is queued for removal")]
    public static partial void Deleted(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "{UserName} signed in")]
    public static partial void SignedIn(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the administrator {UserName} with the Development default password; configure Admin:Password for anything else")]
    public static partial void SeededDevelopmentAdmin(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the administrator {UserName}")]
    public static partial void SeededAdmin(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied the configured password to the administrator {UserName}")]
    public static partial void ChangedAdminPassword(ILogger logger, string userName);
}
