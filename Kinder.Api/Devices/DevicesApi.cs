using System.Security.Claims;
using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Devices;

/// <summary>
/// The phones a user receives pushes on. Workers fan each push out to them (<c>DevicePushSender</c>) and drop a
/// token the push service reports dead.
/// </summary>
public static class DevicesApi
{
    public static IServiceCollection AddDevices(this IServiceCollection services)
    {
        services.AddScoped<RegisterDevice>();
        services.AddScoped<DeregisterDevice>();
        return services;
    }

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/devices").WithTags("Devices").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("", Register)
            .WithName("RegisterDevice")
            .WithSummary("Register this phone's push token (201); the same token again answers 200 and moves it to you.")
            .ProducesValidationProblem();
        group.MapDelete("/{token}", Deregister)
            .WithName("DeregisterDevice")
            .WithSummary("Stop pushes to this token (204); 404 unless it is one of yours.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Task<Results<Created<DeviceResponse>, Ok<DeviceResponse>>> Register(RegisterDeviceRequest body,
        ClaimsPrincipal principal, RegisterDevice useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(body, principal, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> Deregister(string token, ClaimsPrincipal principal,
        DeregisterDevice useCase, CancellationToken cancellationToken) =>
        useCase.HandleAsync(token, principal, cancellationToken);
}
