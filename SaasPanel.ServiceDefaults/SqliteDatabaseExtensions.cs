using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Each service owns one SQLite database through EF Core: the connection string comes from the
/// AppHost (<c>ConnectionStrings:&lt;name&gt;</c>), migrations are applied at start and the file runs in WAL mode.
/// </summary>
public static class SqliteDatabaseExtensions
{
    public static IHostApplicationBuilder AddSqliteDatabase<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not configured; the AppHost sets it, or set it in appsettings.");

        builder.Services.AddDbContext<TContext>(options => options
            .UseSqlite(connectionString)
            // A failed command reaches the code that ran it as an exception: either it is expected and handled (two
            // registrations racing for one name meet the unique index) or it fails the request or loop, which logs it.
            // EF's own error entries would only report the handled races a second time, as errors.
            .ConfigureWarnings(warnings => warnings.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug))));
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{connectionName}-database");
        return builder;
    }

    /// <summary>Creates the database's folder, applies pending migrations and switches the file to WAL.</summary>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();

        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets readers (panel, API) proceed while the reconciler writes; it persists in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
