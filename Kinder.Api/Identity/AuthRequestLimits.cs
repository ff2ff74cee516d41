namespace Kinder.Api.Identity;

/// <summary>Bounds on what the auth requests carry, shared by their validators.</summary>
public static class AuthRequestLimits
{
    /// <summary>RFC 5321's limit on a forward path.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Refresh, verification and reset tokens are far shorter; anything longer is not one of ours.</summary>
    public const int MaxTokenLength = 200;
}
