using Kinder.Messaging;
using Kinder.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Kinder.Realtime.Delivery;

/// <summary>
/// Realtime's hub lifetime manager: every connection is entered in <see cref="LocalRecipients"/>, where Kafka records
/// are delivered, and a hub call's event (presence, typing) is written to this instance's recipients at once and
/// published once on <see cref="HubBackplane"/> for the others. A connection is entered only once this instance's
/// delivery consumer reads (<see cref="KafkaConsumerStart"/>), so a client whose start completed gets every record
/// produced from then on. Kinder's hub uses neither groups nor client results: those calls are refused.
/// </summary>
public sealed class LocalDeliveryHubLifetimeManager(
    LocalRecipients local,
    HubBackplane backplane,
    [FromKeyedServices(LocalDeliveryHubLifetimeManager.DeliveryStartKey)] KafkaConsumerStart deliveryStart)
    : HubLifetimeManager<ChatHub>
{
    public const string DeliveryStartKey = "realtime-delivery";

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await deliveryStart.Started.WaitAsync(connection.ConnectionAborted);
        local.Add(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        local.Remove(connection);
        return Task.CompletedTask;
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllExceptAsync(methodName, args, [], cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds,
        CancellationToken cancellationToken = default)
    {
        var message = Serialized(methodName, args);
        local.SendToAllExcept(excludedConnectionIds, message);
        return backplane.PublishAsync(HubBackplane.Audience.AllExcept, excludedConnectionIds, message);
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args,
        CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args,
        CancellationToken cancellationToken = default)
    {
        var message = Serialized(methodName, args);
        // Only a connection held elsewhere needs the backplane (the hub's own calls address their caller, held here).
        return local.SendToConnections(connectionIds, message) == connectionIds.Count
            ? Task.CompletedTask
            : backplane.PublishAsync(HubBackplane.Audience.Connections, connectionIds, message);
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args,
        CancellationToken cancellationToken = default)
    {
        var message = Serialized(methodName, args);
        local.SendToUsers(userIds.Select(Guid.Parse), message);
        return backplane.PublishAsync(HubBackplane.Audience.Users, userIds, message);
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args,
        CancellationToken cancellationToken = default) => throw NoGroups();

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args,
        CancellationToken cancellationToken = default) => throw NoGroups();

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args,
        IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) => throw NoGroups();

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        throw NoGroups();

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        throw NoGroups();

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args,
        CancellationToken cancellationToken) =>
        throw new NotSupportedException("Kinder's hub does not invoke client results.");

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        throw new NotSupportedException("Kinder's hub does not invoke client results.");

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type)
    {
        type = null;
        return false;
    }

    private static SerializedHubMessage Serialized(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    // Recipients are users (their conversations' members, their contacts), never groups: delivery reads Kafka.
    private static NotSupportedException NoGroups() => new("Kinder's hub addresses users and connections, not groups.");
}
