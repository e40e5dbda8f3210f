using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Verbs a service's binary runs instead of its web host, for the deployed images (FROM scratch: no
/// shell, no curl, no sqlite3): <c>healthcheck &lt;url&gt;</c> for the compose health check,
/// <c>backup &lt;dir&gt;</c> and <c>restore &lt;dir&gt;</c> for the service's SQLite databases and the
/// Data Protection keys. They read the same configuration the service would (environment variables).
/// </summary>
public static class ServiceCommands
{
    private const string KeysFolder = "keys";

    /// <summary>The exit code when <paramref name="args"/> name a verb; null when the web host should start.</summary>
    public static async Task<int?> RunAsync(string[] args)
    {
        if (args.Length != 2)
        {
            return null;
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        try
        {
            return args[0] switch
            {
                "healthcheck" => await HealthCheckAsync(new Uri(args[1])),
                "backup" => Backup(configuration, args[1]),
                "restore" => Restore(configuration, args[1]),
                _ => null,
            };
        }
        catch (Exception exception) when (exception is IOException or SqliteException or HttpRequestException
            or UnauthorizedAccessException or UriFormatException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{args[0]} failed: {exception.Message}");
            return 1;
        }
    }

    private static async Task<int> HealthCheckAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(url);
        return response.IsSuccessStatusCode ? 0 : 1;
    }

    /// <summary>SQLite's online backup: a consistent copy while the service keeps writing (a file copy of a WAL database is not).</summary>
    private static int Backup(IConfiguration configuration, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, connectionString) in Databases(configuration))
        {
            var target = Path.Combine(directory, name + ".db");
            File.Delete(target);
            using var source = new SqliteConnection(connectionString);
            using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
            source.Open();
            source.BackupDatabase(copy);
            Console.WriteLine($"{name}: {target}");
        }

        if (KeyDirectory(configuration) is { } keys)
        {
            CopyFiles(keys, Path.Combine(directory, KeysFolder));
        }

        return 0;
    }

    /// <summary>Replaces the databases and keys with a backup's; run while the service is stopped.</summary>
    private static int Restore(IConfiguration configuration, string directory)
    {
        foreach (var (name, connectionString) in Databases(configuration))
        {
            var source = Path.Combine(directory, name + ".db");
            if (!File.Exists(source))
            {
                throw new IOException($"the backup has no {name}.db");
            }

            var target = new SqliteConnectionStringBuilder(connectionString).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
            // A WAL or shared-memory file left beside would be applied on top of the restored database.
            File.Delete(target + "-wal");
            File.Delete(target + "-shm");
            File.Copy(source, target, overwrite: true);
            Console.WriteLine($"{name}: {target}");
        }

        if (KeyDirectory(configuration) is { } keys && Directory.Exists(Path.Combine(directory, KeysFolder)))
        {
            CopyFiles(Path.Combine(directory, KeysFolder), keys);
        }

        return 0;
    }

    private static IEnumerable<(string Name, string ConnectionString)> Databases(IConfiguration configuration) =>
        configuration.GetSection("ConnectionStrings").GetChildren()
            .Where(connection => !string.IsNullOrEmpty(connection.Value))
            .Select(connection => (connection.Key, connection.Value!));

    private static string? KeyDirectory(IConfiguration configuration) =>
        configuration["DataProtection:KeyDirectory"] is { Length: > 0 } directory ? directory : null;

    private static void CopyFiles(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }
}
