using System.Collections.Concurrent;
using System.Threading.Channels;
using SaasPanel.Contracts;

namespace SaasPanel.Control.Changes;

/// <summary>
/// Fans every workspace change out to the live subscribers (the gateway, the panel). A subscriber
/// that falls too far behind is cut off rather than silently skipped, so it reconnects and gets a
/// fresh snapshot instead of a wrong picture.
/// </summary>
public sealed class WorkspaceChangeFeed
{
    private const int SubscriberBacklog = 10_000;

    private readonly ConcurrentDictionary<Channel<WorkspaceChangeEvent>, byte> _subscribers = new();

    public void Publish(WorkspaceChangeEvent change)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            if (!subscriber.Writer.TryWrite(change))
            {
                subscriber.Writer.TryComplete(new InvalidOperationException("The subscriber fell behind the change stream."));
                _subscribers.TryRemove(subscriber, out _);
            }
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<WorkspaceChangeEvent>(new BoundedChannelOptions(SubscriberBacklog)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _subscribers.TryAdd(channel, 0);
        return new Subscription(this, channel);
    }

    public sealed class Subscription(WorkspaceChangeFeed feed, Channel<WorkspaceChangeEvent> channel) : IDisposable
    {
        public ChannelReader<WorkspaceChangeEvent> Changes => channel.Reader;

        public void Dispose()
        {
            feed._subscribers.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        }
    }
}
