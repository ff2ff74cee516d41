using FluentValidation;
using Kinder.Core.Devices;

namespace Kinder.Api.Devices;

/// <summary><c>POST /devices</c>: the push service (<c>fcm</c> or <c>apns</c>), the token it gave the app, the app's version.</summary>
public sealed record RegisterDeviceRequest(string? Platform, string? Token, string? AppVersion)
{
    public const string Fcm = "fcm";
    public const string Apns = "apns";

    public DevicePlatform ParsedPlatform() =>
        string.Equals(Platform, Apns, StringComparison.OrdinalIgnoreCase) ? DevicePlatform.Apns : DevicePlatform.Fcm;

    /// <summary>APNs tokens are hex; stored lower-case so the same phone is one row however the app spells it.</summary>
    public string NormalizedToken() => ParsedPlatform() == DevicePlatform.Apns ? Token!.ToLowerInvariant() : Token!;
}

/// <summary>A registered device as the owner sees it.</summary>
public sealed record DeviceResponse(Guid Id, string Platform, string Token, string? AppVersion, DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt);

public sealed class RegisterDeviceRequestValidator : AbstractValidator<RegisterDeviceRequest>
{
    public RegisterDeviceRequestValidator()
    {
        RuleFor(request => request.Platform).NotEmpty()
            .Must(platform => string.Equals(platform, RegisterDeviceRequest.Fcm, StringComparison.OrdinalIgnoreCase)
                || string.Equals(platform, RegisterDeviceRequest.Apns, StringComparison.OrdinalIgnoreCase))
            .WithMessage("fcm | apns");
        RuleFor(request => request.Token).NotEmpty();
        RuleFor(request => request.Token)
            .Must(DeviceTokens.IsApnsToken!).WithMessage("An APNs device token is 64 hexadecimal characters.")
            .When(request => request.ParsedPlatform() == DevicePlatform.Apns && !string.IsNullOrEmpty(request.Token));
        RuleFor(request => request.Token)
            .Must(DeviceTokens.IsFcmToken!)
            .WithMessage($"An FCM registration token is up to {DeviceEntityTypeConfiguration.MaxTokenLength} letters, digits and ':', '_', '-', '.'.")
            .When(request => request.ParsedPlatform() == DevicePlatform.Fcm && !string.IsNullOrEmpty(request.Token));
        RuleFor(request => request.AppVersion).MaximumLength(DeviceEntityTypeConfiguration.MaxAppVersionLength);
    }
}
