using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Realtime.Hubs;
using Kinder.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kinder.Tests.Realtime;

/// <summary>
/// Hub connections follow the user's current state: the per-user cut-off (reset, reuse, Google link, deletion) closes
/// them, and a verification counts at once on a connection opened before it.
/// </summary>
public sealed class HubCutOffTests(RealtimeFactory realtime) : IClassFixture<RealtimeFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_cut_off_closes_the_users_open_connections_and_a_token_issued_after_it_connects()
    {
        var (user, other) = (await realtime.CreateUserAsync(), await realtime.CreateUserAsync());
        await using var connection = await realtime.ConnectAsync(user);
        await using var othersConnection = await realtime.ConnectAsync(other);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        // What a password reset, a refresh-token reuse, a Google link or a deletion sets in the Api (same Redis).
        await realtime.Services.GetRequiredService<AccessTokenBlacklist>().RevokeAllAsync(user.Id,
            realtime.Services.GetRequiredService<IOptions<JwtOptions>>().Value.AccessTokenLifetime);

        await closed.Task.WaitAsync(Deadline);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        // Issued right after the cut-off, usually within the same second: it is not refused.
        await using var fresh = await realtime.ConnectAsync(user);
        Assert.Equal(HubConnectionState.Connected, fresh.State);
        Assert.Equal(HubConnectionState.Connected, othersConnection.State);
    }

    [Fact]
    public async Task A_connection_opened_before_the_email_was_verified_can_send_once_it_is()
    {
        var (sender, other) = (await realtime.CreateUserAsync(emailVerified: false), await realtime.CreateUserAsync());
        var conversation = await realtime.CreateConversationAsync(ConversationType.Direct, [sender, other]);
        await using var connection = await realtime.ConnectAsync(sender);
        await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-0", "Too early"));

        // What POST /auth/verify-email does: the change, then the one invalidation.
        await using (var scope = realtime.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Kinder.Core.Data.KinderDbContext>();
            await db.Users.Where(u => u.Id == sender.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.EmailVerified, true));
            await scope.ServiceProvider.GetRequiredService<UserSecurityState>().InvalidateAsync(sender.Id, CancellationToken.None);
        }

        var response = await connection.InvokeAsync<SendMessageResponse>("SendMessage", conversation.Id, "c-1", "Verified now");

        Assert.Equal(conversation.Id, response.ConversationId);
    }
}
