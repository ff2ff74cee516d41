namespace Kinder.Core.Identity;

/// <summary>Authorization policy names shared by the hosts.</summary>
public static class KinderPolicies
{
    /// <summary>Signed in and email verified: creating events, RSVPing "going", messaging (docs/api/README.md, Auth).</summary>
    public const string VerifiedUser = "verified-user";

    /// <summary>Signed in with the admin role: operators' endpoints (diagnostics probes, /admin but moderation).</summary>
    public const string Admin = "admin";

    /// <summary>Signed in as a moderator or an admin: the moderation queue (/admin/moderation).</summary>
    public const string Moderator = "moderator";
}
