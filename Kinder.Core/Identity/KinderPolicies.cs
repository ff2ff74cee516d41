namespace Kinder.Core.Identity;

/// <summary>Authorization policy names shared by the hosts.</summary>
public static class KinderPolicies
{
    /// <summary>Signed in and email verified: creating events, RSVPing "going", messaging (docs/api/README.md, Auth).</summary>
    public const string VerifiedUser = "verified-user";

    /// <summary>Signed in with the admin role: operators' endpoints (diagnostics probes).</summary>
    public const string Admin = "admin";
}
