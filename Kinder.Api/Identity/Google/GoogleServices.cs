using Kinder.Core.Data;
using Kinder.Core.Moderation;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Identity.Google;

/// <summary>What the Google endpoints need, taken with <c>[AsParameters]</c>.</summary>
public sealed class GoogleServices(
    IOptions<GoogleOptions> options,
    GoogleSignInStates states,
    GoogleTokenClient tokenClient,
    GoogleIdTokenValidator idTokens,
    GoogleAccounts accounts,
    SessionIssuer sessions,
    RefreshTokenCookies cookies,
    LinkGenerator links,
    KinderDbContext db,
    AuditTrail audit,
    TimeProvider time)
{
    public IOptions<GoogleOptions> Options => options;
    public GoogleSignInStates States => states;
    public GoogleTokenClient TokenClient => tokenClient;
    public GoogleIdTokenValidator IdTokens => idTokens;
    public GoogleAccounts Accounts => accounts;
    public SessionIssuer Sessions => sessions;
    public RefreshTokenCookies Cookies => cookies;
    public LinkGenerator Links => links;
    public KinderDbContext Db => db;
    public AuditTrail Audit => audit;
    public TimeProvider Time => time;
}
