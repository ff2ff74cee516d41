using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Notifications;

/// <summary>
/// The in-app feed and the notification settings (docs/api/README.md, Notifications). Notifications are made by
/// Workers (<c>Kinder.Workers/Notifications</c>, one <c>NotificationWriter</c>); here the user reads, marks and
/// deletes them.
/// </summary>
public static class NotificationsApi
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddScoped<ListNotifications>();
        services.AddScoped<NotificationReads>();
        services.AddScoped<NotificationSettingsUseCase>();
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/notifications").WithTags("Notifications").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("", List)
            .WithName("GetNotifications")
            .WithSummary("Your notifications, newest first, cursor-paged (unreadOnly=true: unread only), with unreadCount.")
            .ProducesValidationProblem();
        group.MapPut("/read-all", ReadAll)
            .WithName("ReadAllNotifications")
            .WithSummary("Mark all your notifications read.");
        group.MapGet("/settings", GetSettings)
            .WithName("GetNotificationSettings")
            .WithSummary("Your notification settings: per type inApp/push/email, quiet hours, digest (defaults where unset).");
        group.MapPut("/settings", UpdateSettings)
            .WithName("UpdateNotificationSettings")
            .WithSummary("Change your settings: the types given (others stay), quiet hours (null: none), digest (absent: unchanged).")
            .ProducesValidationProblem();
        group.MapPut("/{id:guid}/read", Read)
            .WithName("ReadNotification")
            .WithSummary("Mark one notification read.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", Delete)
            .WithName("DeleteNotification")
            .WithSummary("Delete one notification.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<NotificationPage>> List([AsParameters] NotificationListQuery query, ClaimsPrincipal principal,
        ListNotifications useCase, CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.HandleAsync(query, principal, cancellationToken));

    public static Task<Results<NoContent, ProblemHttpResult>> Read(Guid id, ClaimsPrincipal principal,
        NotificationReads useCase, CancellationToken cancellationToken) =>
        useCase.ReadAsync(id, principal, cancellationToken);

    public static Task<NoContent> ReadAll(ClaimsPrincipal principal, NotificationReads useCase,
        CancellationToken cancellationToken) =>
        useCase.ReadAllAsync(principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, ClaimsPrincipal principal,
        NotificationReads useCase, CancellationToken cancellationToken) =>
        useCase.DeleteAsync(id, principal, cancellationToken);

    public static async Task<Ok<NotificationSettingsResponse>> GetSettings(ClaimsPrincipal principal,
        NotificationSettingsUseCase useCase, CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.GetAsync(principal, cancellationToken));

    public static async Task<Ok<NotificationSettingsResponse>> UpdateSettings(NotificationSettingsBody body,
        ClaimsPrincipal principal, NotificationSettingsUseCase useCase, CancellationToken cancellationToken) =>
        TypedResults.Ok(await useCase.UpdateAsync(body, principal, cancellationToken));
}
