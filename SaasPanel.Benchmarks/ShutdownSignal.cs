using System.Runtime.InteropServices;

namespace SaasPanel.Benchmarks;

/// <summary>
/// Turns the first Ctrl-C (or SIGTERM) into a cancellation, so the run stops and still removes what
/// it created; a second one ends the process at once.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    public CancellationToken Token => _cancellation.Token;

    private void Handle(PosixSignalContext context)
    {
        if (_cancellation.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping; cleaning up what this run created (again to quit at once)...");
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }
}
