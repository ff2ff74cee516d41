namespace Kinder.Core;

/// <summary>The stable machine codes every problem response carries in <c>code</c> (docs/api/README.md, Conventions).</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string MalformedRequest = "MALFORMED_REQUEST";
    public const string BadRequest = "BAD_REQUEST";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string InvalidCredentials = "INVALID_CREDENTIALS";
    public const string TokenExpired = "TOKEN_EXPIRED";
    public const string TokenRevoked = "TOKEN_REVOKED";
    public const string EmailNotVerified = "EMAIL_NOT_VERIFIED";
    public const string EmailAlreadyExists = "EMAIL_ALREADY_EXISTS";
    public const string AccountDeleted = "ACCOUNT_DELETED";
    /// <summary>Suspended or banned: every token and sign-in refused; the problem carries <c>until</c> or <c>banned</c>.</summary>
    public const string AccountSuspended = "ACCOUNT_SUSPENDED";
    public const string ReauthenticationRequired = "REAUTHENTICATION_REQUIRED";

    // Google sign-in
    public const string InvalidState = "INVALID_STATE";
    public const string InvalidIdToken = "INVALID_ID_TOKEN";
    public const string GoogleSignInFailed = "GOOGLE_SIGN_IN_FAILED";
    public const string GoogleEmailNotVerified = "GOOGLE_EMAIL_NOT_VERIFIED";
    public const string GoogleAccountConflict = "GOOGLE_ACCOUNT_CONFLICT";
    public const string GoogleUnavailable = "GOOGLE_UNAVAILABLE";
    public const string EmailAlreadyVerified = "EMAIL_ALREADY_VERIFIED";
    public const string InvalidToken = "INVALID_TOKEN";
    public const string ExpiredToken = "EXPIRED_TOKEN";
    public const string TokenAlreadyUsed = "TOKEN_ALREADY_USED";
    public const string CsrfTokenMismatch = "CSRF_TOKEN_MISMATCH";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Conflict = "CONFLICT";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string UploadNotReceived = "UPLOAD_NOT_RECEIVED";
    public const string RateLimited = "RATE_LIMITED";
    public const string TooManyConnections = "TOO_MANY_CONNECTIONS";
    public const string OnboardingStepRequired = "ONBOARDING_STEP_REQUIRED";
    // Events
    public const string EventCancelled = "EVENT_CANCELLED";
    public const string PaymentRequired = "PAYMENT_REQUIRED";
    public const string EventFull = "EVENT_FULL";
    // Payments
    public const string InsufficientCredits = "INSUFFICIENT_CREDITS";
    public const string EventLimitReached = "EVENT_LIMIT_REACHED";
    // Chat
    public const string UserBlocked = "USER_BLOCKED";
    public const string ConversationReadOnly = "CONVERSATION_READ_ONLY";
    public const string NotConversationOwner = "NOT_CONVERSATION_OWNER";
    public const string NotMessageAuthor = "NOT_MESSAGE_AUTHOR";
    public const string EditWindowClosed = "EDIT_WINDOW_CLOSED";
    public const string MessageDeleted = "MESSAGE_DELETED";
    // Friends
    public const string AlreadyFriends = "ALREADY_FRIENDS";
    public const string FriendRequestCooldown = "FRIEND_REQUEST_COOLDOWN";
    public const string FriendRequestNotPending = "FRIEND_REQUEST_NOT_PENDING";
    // Moderation and admin
    public const string LastAdmin = "LAST_ADMIN";

    public const string InternalError = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";

    /// <summary>The code for a status when nothing more specific was said.</summary>
    public static string ForStatus(int? status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        402 => PaymentRequired,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => BadRequest,
    };
}
