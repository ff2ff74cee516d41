using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Kinder.Realtime.Hubs;

/// <summary>
/// SignalR answers a client's handshake before the lifetime manager has registered the connection (its
/// <c>OnConnectedAsync</c> runs after the answer is written, and waits for this instance's delivery consumer).
/// A client whose start had completed could miss what was sent to its user in between: a <c>message:new</c> delivered
/// before the connection was registered is gone. This handler holds what is written to a new connection, the
/// handshake answer first, until <see cref="ConnectionReadyFilter"/> releases it; SignalR runs hub filters' and the
/// hub's <c>OnConnectedAsync</c> only once the lifetime manager is done. So a client's start completes when every
/// server event for its user reaches it (docs/api/README.md, Realtime: <c>connection:ready</c>).
/// </summary>
public sealed class HeldHandshakeHubConnectionHandler(
    HubLifetimeManager<ChatHub> lifetimeManager,
    IHubProtocolResolver protocolResolver,
    IOptions<HubOptions> globalHubOptions,
    IOptions<HubOptions<ChatHub>> hubOptions,
    ILoggerFactory loggerFactory,
    IUserIdProvider userIdProvider,
    IServiceScopeFactory serviceScopeFactory)
    : HubConnectionHandler<ChatHub>(lifetimeManager, protocolResolver, globalHubOptions, hubOptions, loggerFactory,
        userIdProvider, serviceScopeFactory)
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var transport = connection.Transport;
        var held = new HeldOutput(transport.Output);
        connection.Transport = new DuplexPipe(transport.Input, held);
        connection.Features.Set(held);
        try
        {
            await base.OnConnectedAsync(connection);
        }
        finally
        {
            // Whatever ended the connection before the release (a refused handshake, a failure) still goes out.
            if (!held.IsReleased)
            {
                held.Release();
                try
                {
                    await transport.Output.FlushAsync();
                }
                catch (InvalidOperationException)
                {
                    // The transport already completed: nothing more can be sent.
                }
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

/// <summary>
/// A connection's output whose flushes are held until <see cref="Release"/>: what is written waits in the pipe, in
/// order, and the first flush after the release sends it all. Writes stay serialized by SignalR's own write lock.
/// </summary>
public sealed class HeldOutput(PipeWriter inner) : PipeWriter
{
    private volatile bool released;

    public bool IsReleased => released;

    public void Release() => released = true;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        released ? inner.FlushAsync(cancellationToken) : ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false));

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;
}

/// <summary>
/// Releases a connection's held output (<see cref="HeldHandshakeHubConnectionHandler"/>) once the lifetime manager has
/// it, with <c>connection:ready</c> as the write that flushes the handshake answer out: a flush from here could race
/// a write SignalR serializes under its own lock.
/// </summary>
public sealed class ConnectionReadyFilter : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.Features.Get<HeldOutput>() is { IsReleased: false } held)
        {
            held.Release();
            await context.Hub.Clients.Caller.SendAsync(ServerEvents.ConnectionReady, context.Context.ConnectionAborted);
        }
        await next(context);
    }
}
