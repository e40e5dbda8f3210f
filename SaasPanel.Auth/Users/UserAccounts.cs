using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Outbox;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Users;

/// <summary>Registration, password checks with lockout, and deletion: every change to a user goes through here.</summary>
public sealed class UserAccounts(
    AuthDbContext db,
    IPasswordHasher<User> passwordHasher,
    IOptions<AccountOptions> options,
    OutboxSignal outboxSignal,
    UserSessionValidator sessions,
    TimeProvider clock,
    ILogger<UserAccounts> logger)
{
    // A well-formed hash to verify against when the user does not exist, so a wrong name costs as much as a wrong password.
    private static readonly Lazy<string> s_unknownUserHash = new(() => new PasswordHasher<User>().HashPassword(null!, Guid.NewGuid().ToString()));

    public async Task<RegistrationResult> RegisterAsync(string? userName, string? email, string? password, CancellationToken cancellationToken)
    {
        userName = userName?.Trim() ?? "";
        email = email?.Trim() ?? "";
        password ??= "";

        var errors = Validate(userName, email, password);
        if (errors.Count > 0)
        {
            return RegistrationResult.Invalid(errors);
        }

        // Lower-cased only once valid: the rule allows ASCII alone, so this cannot turn a refused address into an accepted one.
        email = email.ToLowerInvariant();

        if (await FindConflictsAsync(userName, email, cancellationToken) is { Count: > 0 } conflicts)
        {
            return RegistrationResult.Invalid(conflicts);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var user = new User { UserName = userName, Email = email, PasswordHash = "", CreatedAt = now, LastSignInAt = now };
        user.PasswordHash = passwordHasher.HashPassword(user, password);
        db.Users.Add(user);
        db.OutboxMessages.Add(OutboxMessage.Provision(userName, email, now));

        try
        {
            // One SaveChanges is one transaction: the user and Control's message commit together or not at all.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            // Lost a race with a concurrent registration of the same name or email; the unique index decided.
            db.ChangeTracker.Clear();
            var raced = await FindConflictsAsync(userName, email, cancellationToken);
            return RegistrationResult.Invalid(raced.Count > 0 ? raced : new() { [RegistrationFields.UserName] = "That user name is already taken." });
        }

        outboxSignal.Notify();
        UsersLog.Registered(logger, userName);
        return RegistrationResult.Success(user);
    }

    public async Task<PasswordCheck> CheckPasswordAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        userName = userName?.Trim().ToLowerInvariant() ?? "";
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            passwordHasher.VerifyHashedPassword(null!, s_unknownUserHash.Value, password ?? "");
            return PasswordCheck.Failed();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (user.LockoutEndsAt is { } lockedUntil && lockedUntil > now)
        {
            return PasswordCheck.LockedOut(lockedUntil);
        }

        var verdict = passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedSignInCount++;
            if (user.FailedSignInCount >= options.Value.MaxFailedSignIns)
            {
                user.FailedSignInCount = 0;
                user.LockoutEndsAt = now + options.Value.LockoutDuration;
                UsersLog.LockedOut(logger, user.UserName, user.LockoutEndsAt.Value);
                await db.SaveChangesAsync(cancellationToken);
                return PasswordCheck.LockedOut(user.LockoutEndsAt.Value);
            }

            await db.SaveChangesAsync(cancellationToken);
            return PasswordCheck.Failed();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = passwordHasher.HashPassword(user, password ?? "");
        }

        user.FailedSignInCount = 0;
        user.LockoutEndsAt = null;
        user.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return PasswordCheck.Succeeded(user);
    }

    /// <summary>Removes a user, ends their sessions and queues the removal of their workspace, in one transaction.</summary>
    public async Task<bool> DeleteAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null || user.IsAdmin)
        {
            return false;
        }

        db.Users.Remove(user);
        db.OutboxMessages.Add(OutboxMessage.Deprovision(user.UserName, clock.GetUtcNow().UtcDateTime));
        await db.SaveChangesAsync(cancellationToken);

        sessions.Forget(user.UserName);
        outboxSignal.Notify();
        UsersLog.Deleted(logger, user.UserName);
        return true;
    }

    private Dictionary<string, string> Validate(string userName, string email, string password)
    {
        var errors = new Dictionary<string, string>();
        if (userName.Length == 0)
        {
            errors[RegistrationFields.UserName] = "Choose a user name.";
        }
        else if (!UserNames.IsValid(userName))
        {
            errors[RegistrationFields.UserName] = "3 to 32 characters: lower-case letters, digits and '-', starting with a letter or digit.";
        }
        else if (UserNames.IsReserved(userName))
        {
            errors[RegistrationFields.UserName] = "That name is reserved; please choose another.";
        }

        // The contract's rules, so Auth refuses exactly what Control would; the messages are the form's own.
        if (email.Length == 0)
        {
            errors[RegistrationFields.Email] = "Enter your email address.";
        }
        else if (!EmailAddresses.IsValid(email))
        {
            errors[RegistrationFields.Email] = "Enter a valid email address, such as name@example.com.";
        }

        if (password.Length == 0)
        {
            errors[RegistrationFields.Password] = "Choose a password.";
        }
        else if (password.Length < options.Value.MinimumPasswordLength)
        {
            errors[RegistrationFields.Password] = $"Use at least {options.Value.MinimumPasswordLength} characters.";
        }

        return errors;
    }

    private async Task<Dictionary<string, string>> FindConflictsAsync(string userName, string email, CancellationToken cancellationToken)
    {
        var taken = await db.Users.AsNoTracking()
            .Where(u => u.UserName == userName || u.Email == email)
            .Select(u => new { u.UserName, u.Email })
            .ToListAsync(cancellationToken);

        var errors = new Dictionary<string, string>();
        if (taken.Any(u => u.UserName == userName))
        {
            errors[RegistrationFields.UserName] = "That user name is already taken.";
        }

        if (taken.Any(u => u.Email == email))
        {
            errors[RegistrationFields.Email] = "An account with that email address already exists.";
        }

        return errors;
    }
}

/// <summary>The registration form's field names, which are also the keys of its error messages.</summary>
public static class RegistrationFields
{
    public const string UserName = "username";
    public const string Email = "email";
    public const string Password = "password";
}

public sealed record RegistrationResult(User? User, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => User is not null;

    public static RegistrationResult Success(User user) => new(user, new Dictionary<string, string>());

    public static RegistrationResult Invalid(Dictionary<string, string> errors) => new(null, errors);
}

public sealed record PasswordCheck(PasswordCheckOutcome Outcome, User? User, DateTime? LockedUntil)
{
    public static PasswordCheck Succeeded(User user) => new(PasswordCheckOutcome.Succeeded, user, null);

    public static PasswordCheck Failed() => new(PasswordCheckOutcome.Failed, null, null);

    public static PasswordCheck LockedOut(DateTime until) => new(PasswordCheckOutcome.LockedOut, null, until);
}

public enum PasswordCheckOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}
