using System.Text.Json;
using System.Text.Json.Serialization;
using Kinder.Api.Conversations;
using Kinder.Api.Diagnostics;
using Kinder.Api.Events;
using Kinder.Api.Devices;
using Kinder.Api.Friends;
using Kinder.Api.Identity;
using Kinder.Api.Identity.Google;
using Kinder.Api.Admin;
using Kinder.Api.Moderation;
using Kinder.Api.Infrastructure;
using Kinder.Api.Onboarding;
using Kinder.Api.Payments;
using Kinder.Api.Profiles;
using Kinder.Api.Notifications;
using Kinder.Api.Sync;
using Kinder.Api.Uploads;
using Kinder.Api.Calendar;
using Kinder.Core.Chat;
using Kinder.Core.Identity;
using Kinder.Core.Media;
using Kinder.Core.Onboarding;
using Kinder.Core.PersonalData;
using Kinder.Core.Preferences;
using Kinder.Core.Storage;
using Kinder.Core.Uploads;
using Kinder.Core.Validation;

namespace Kinder.Api.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Everything the Api registers, in one place.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKinderDbContext();
        builder.AddKinderRedisClient();
        builder.AddKafkaClient();
        builder.AddKinderJwtAuthentication();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddScoped<SessionIssuer>();
        builder.AddGoogleSignIn();
        builder.Services.AddAccounts();
        builder.Services.AddPersonalDataSources();
        builder.Services.AddScoped<UserPreferenceStore>();
        builder.Services.AddScoped<OnboardingTracker>();
        builder.Services.AddScoped<ProfileServices>();
        builder.Services.AddScoped<OnboardingServices>();
        builder.Services.AddEvents();
        builder.Services.AddFriends();
        builder.Services.AddDevices();
        builder.Services.AddSync();
        builder.Services.AddNotifications();
        builder.Services.AddChatCore();
        builder.Services.AddScoped<ChatSignals>();
        builder.Services.AddScoped<ConversationServices>();
        builder.Services.AddConversationUseCases();
        builder.Services.AddHttpContextAccessor(); // validators that need the caller (CreateConversationRequestValidator)
        builder.AddKinderObjectStorage();
        builder.Services.AddImagePipeline();
        builder.Services.AddUploadOptions();
        builder.Services.AddScoped<UploadServices>();
        builder.Services.AddScoped<CalendarServices>();
        builder.Services.AddProbes();
        builder.Services.AddPayments();
        builder.Services.AddModeration();
        builder.Services.AddAdmin();

        builder.Services.AddKinderProblemDetails();
        builder.Services.AddOptions<RequestBodyOptions>()
            .BindConfiguration(RequestBodyOptions.SectionName)
            .Validate(options => options.MaxBytes > 0, "Api:RequestBody:MaxBytes must be positive.")
            .ValidateOnStart();
        builder.Services.AddUserRateLimits();

        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // Enums by name only: a number would bind to a value no code handles (purpose 12345).
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower,
                allowIntegerValues: false));
        });
        // Malformed JSON and friends become exceptions the problem-details handler maps to stable codes,
        // instead of the framework's silent, bodiless 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddKinderValidators(typeof(ApiAssembly).Assembly);

        builder.Services.AddOpenApi(options => options.AddValidationSchemas());
        return builder;
    }
}
