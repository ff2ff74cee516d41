using Kinder.Api.Blocks;
using Kinder.Api.Conversations;
using Kinder.Api.Diagnostics;
using Kinder.Api.Events;
using Kinder.Api.Extensions;
using Kinder.Api.Devices;
using Kinder.Api.Friends;
using Kinder.Api.Identity.Google;
using Kinder.Api.Identity;
using Kinder.Api.Infrastructure;
using Kinder.Api.Meta;
using Kinder.Api.Admin;
using Kinder.Api.Moderation;
using Kinder.Api.Onboarding;
using Kinder.Api.Payments;
using Kinder.Api.Preferences;
using Kinder.Api.PersonalData;
using Kinder.Api.Profiles;
using Kinder.Api.Notifications;
using Kinder.Api.Sync;
using Kinder.Api.Uploads;
using Kinder.Api.Calendar;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseKinderForwardedHeaders();
app.UseKinderProblemDetails();
app.UseRouting();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapScalarApiReference();
app.MapVersionApi();

var api = app.MapGroup("/api/v1").ValidateArguments();
api.MapProbesApi();
api.MapProfilesApi();
api.MapEventsApi();
api.MapDiscoveryApi();
api.MapEventSearchApi();
api.MapUploadsApi();
api.MapCalendarApi();
api.MapConversationsApi();
api.MapMessagesApi();
api.MapBlocksApi();
api.MapFriendsApi();
api.MapDevicesApi();
api.MapSyncApi();
api.MapNotificationsApi();
api.MapPaymentsApi();
api.MapPreferencesApi();
api.MapOnboardingApi();
api.MapProfilePictureApi();
api.MapPersonalDataApi();
api.MapGoogleAuthApi();
api.MapAuthApi();
api.MapModerationApi();
api.MapAdminApi();

app.Run();
