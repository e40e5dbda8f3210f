using SaasPanel.Benchmarks;

if (BenchmarkOptions.TryParse(args, out var options, out var error) is false)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

using var shutdown = new ShutdownSignal();
return await BenchmarkRun.ExecuteAsync(options, shutdown.Token);
