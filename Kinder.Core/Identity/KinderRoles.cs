namespace Kinder.Core.Identity;

/// <summary>Role names carried in access tokens (<c>role</c> claims); no endpoint requires one yet.</summary>
public static class KinderRoles
{
    public const string User = "user";
    public const string Moderator = "moderator";
    public const string Admin = "admin";
}
