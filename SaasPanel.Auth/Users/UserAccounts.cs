using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasPanel.Auth.Data;
using SaasPanel.Auth.Outbox;
using SaasPanel.Contracts;

namespace SaasPanel.Auth.Users;

/// <summary>Registration, throttled password checks, and deletion: every change to a user goes through here.</summary>
public sealed class UserAccounts(
    AuthDbContext db,
    IPasswordHasher<User> passwordHasher,
    IOptions<AccountOptions> options,
    IOptions<SignUpOptions> signUp,
    SignInThrottles throttles,
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

        // One write transaction (SQLite's BEGIN IMMEDIATE): the user and Control's message commit together or not at all,
        // and parallel registrations queue behind each other instead of all seeing room for one more under the cap.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await IsSignUpFullAsync(cancellationToken))
        {
            UsersLog.SignUpFull(logger, userName);
            return RegistrationResult.Invalid(new() { [""] = SignUpFullMessage });
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var open = signUp.Value.Policy == SignUpPolicy.Open;
        var user = new User { UserName = userName, Email = email, PasswordHash = "", CreatedAt = now, LastSignInAt = now, ApprovedAt = open ? now : null };
        user.PasswordHash = passwordHasher.HashPassword(user, password);
        db.Users.Add(user);

        try
        {
            // Saved first for its id: the message binds the workspace to this account, not just to its name.
            await db.SaveChangesAsync(cancellationToken);
            if (open)
            {
                db.OutboxMessages.Add(OutboxMessage.Provision(userName, email, user.OwnerId, requestedBy: userName, now));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
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

    public const string SignUpFullMessage =
        "Registration is closed: this installation has reached its maximum number of workspaces. Please ask its administrator.";

    /// <summary>Whether <see cref="SignUpOptions.MaxWorkspaces"/> users with a workspace (approved users) exist already.</summary>
    public async Task<bool> IsSignUpFullAsync(CancellationToken cancellationToken) =>
        signUp.Value.MaxWorkspaces is { } max
        && await db.Users.CountAsync(u => u.Role == UserRole.User && u.ApprovedAt != null, cancellationToken) >= max;

    /// <summary>Whether the user registered under <see cref="SignUpPolicy.Approval"/> and no admin has approved them yet.</summary>
    public Task<bool> IsAwaitingApprovalAsync(string userName, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.UserName == userName && u.ApprovedAt == null, cancellationToken);

    /// <summary>
    /// Lets a user who awaits approval in: marks them approved and queues their workspace (asked for by
    /// <paramref name="approvedBy"/>), in one write transaction that also counts against the cap. Null when done, else why not.
    /// </summary>
    public async Task<string?> ApproveAsync(string userName, string approvedBy, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName && u.ApprovedAt == null, cancellationToken);
        if (user is null)
        {
            return $"'{userName}' is not awaiting approval.";
        }

        if (await IsSignUpFullAsync(cancellationToken))
        {
            return $"'{userName}' cannot be approved: the maximum number of workspaces is reached.";
        }

        var now = clock.GetUtcNow().UtcDateTime;
        user.ApprovedAt = now;
        db.OutboxMessages.Add(OutboxMessage.Provision(user.UserName, user.Email, user.OwnerId, approvedBy, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        UsersLog.Approved(logger, userName, approvedBy);
        return null;
    }

    /// <summary>
    /// The user whose password this is, or null: a wrong password, an unknown name and a throttled
    /// attempt look the same to the caller, and an unknown name costs a verification as a real one does.
    /// </summary>
    public async Task<User?> CheckPasswordAsync(string? userName, string? password, string network, CancellationToken cancellationToken)
    {
        userName = userName?.Trim().ToLowerInvariant() ?? "";
        password ??= "";
        if (!await throttles.TryClaimAttemptAsync(userName, network, cancellationToken))
        {
            return null;
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            passwordHasher.VerifyHashedPassword(null!, s_unknownUserHash.Value, password);
            return null;
        }

        var verdict = passwordHasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = passwordHasher.HashPassword(user, password);
        }

        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await throttles.ResetAsync(userName, network, cancellationToken);
        return user;
    }

    /// <summary>Signs the user out everywhere: a new security stamp invalidates every cookie issued before.</summary>
    public async Task EndSessionsAsync(string userName, CancellationToken cancellationToken)
    {
        var stamp = User.NewSecurityStamp();
        await db.Users.Where(u => u.UserName == userName)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        sessions.Forget(userName);
    }

    /// <summary>
    /// Removes a user, ends their sessions and queues the removal of their workspace, in one transaction;
    /// <paramref name="requestedBy"/> (the user themself or an admin) is the actor in Control's audit log.
    /// </summary>
    public async Task<bool> DeleteAsync(string userName, string requestedBy, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null || user.IsAdmin)
        {
            return false;
        }

        db.Users.Remove(user);
        db.OutboxMessages.Add(OutboxMessage.Deprovision(user.UserName, requestedBy, clock.GetUtcNow().UtcDateTime));
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
