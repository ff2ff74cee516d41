namespace Kinder.Core.Identity;

/// <summary>Role names carried in access tokens (<c>role</c> claims); moderators and admins reach /admin/moderation, admins the rest of /admin (KinderPolicies).</summary>
public static class KinderRoles
{
    public const string User = "user";
    public const string Moderator = "moderator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [User, Moderator, Admin];
}
