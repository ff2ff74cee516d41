using Kinder.Core.Identity;
using Microsoft.AspNetCore.SignalR;

namespace Kinder.Realtime.Hubs;

/// <summary>
/// SignalR's user of a connection is our user id (the token's <c>sub</c>), so <c>Clients.Users(ids)</c> reaches every
/// device of those users on every instance. The default provider reads a WS-* name identifier our tokens do not carry.
/// </summary>
public sealed class KinderUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.Identity?.IsAuthenticated == true ? connection.User.GetUserId().ToString() : null;
}
