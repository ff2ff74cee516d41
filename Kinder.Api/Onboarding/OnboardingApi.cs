using System.Security.Claims;
using System.Text.Json;
using Kinder.Api.Infrastructure;
using Kinder.Api.Preferences;
using Kinder.Api.Profiles;
using Kinder.Core;
using Kinder.Core.Identity;
using Kinder.Core.Onboarding;
using Kinder.Core.Preferences;
using Kinder.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Api.Onboarding;

/// <summary>
/// Onboarding: the interest catalog, the steps and the one-call preferences save. Each step has its
/// own endpoint under <c>/onboarding/steps/{step}</c> so that each documents and validates its own body; a step
/// name that is not one of them matches no route and is 404.
/// </summary>
public static class OnboardingApi
{
    public static IEndpointRouteBuilder MapOnboardingApi(this IEndpointRouteBuilder app)
    {
        var onboarding = app.MapGroup("/onboarding").WithTags("Onboarding");
        onboarding.MapGet("/interests", GetInterests)
            .WithName("GetInterests")
            .WithSummary("The interest catalog, in group order; needs no sign-in.");

        var group = onboarding.MapGroup("").RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/preferences", SavePreferences)
            .WithName("SaveOnboardingPreferences")
            .WithSummary("Save interests, motivations and weekend availability; marks the reasons and weekend steps done.")
            .ProducesValidationProblem();

        var steps = group.MapGroup("/steps");
        steps.MapPut($"/{OnboardingSteps.Welcome}", CompleteWelcome)
            .WithName("CompleteWelcomeStep")
            .WithSummary("Mark the welcome step done (no data).");
        steps.MapPut($"/{OnboardingSteps.Profile}", CompleteProfile)
            .WithName("CompleteProfileStep")
            .WithSummary("Save the profile (as PUT /users/profile) and mark the step done.")
            .ProducesValidationProblem();
        steps.MapPut($"/{OnboardingSteps.Reasons}", CompleteReasons)
            .WithName("CompleteReasonsStep")
            .WithSummary("Save why the user is here and mark the step done.")
            .ProducesValidationProblem();
        steps.MapPut($"/{OnboardingSteps.Weekend}", CompleteWeekend)
            .WithName("CompleteWeekendStep")
            .WithSummary("Save when the user is free and mark the step done.")
            .ProducesValidationProblem();
        steps.MapPut($"/{OnboardingSteps.Recharge}", CompleteRecharge)
            .WithName("CompleteRechargeStep")
            .WithSummary("Record the premium (recharge) choice and mark the step done.")
            .ProducesValidationProblem();
        steps.MapPost("/{step}/skip", SkipStep)
            .WithName("SkipOnboardingStep")
            .WithSummary("Skip an optional step; a required step answers 400 ONBOARDING_STEP_REQUIRED, an unknown one 404.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/users/onboarding/status", GetStatus)
            .WithTags("Onboarding")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("GetOnboardingStatus")
            .WithSummary("Each step's state and whether onboarding is complete.");
        return app;
    }

    public static async Task<Ok<List<InterestResponse>>> GetInterests(OnboardingServices services,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Db.Interests.AsNoTracking()
            .OrderBy(interest => interest.Id)
            .Select(interest => InterestResponse.From(interest))
            .ToListAsync(cancellationToken));

    public static async Task<Results<Ok<OnboardingStatusResponse>, ProblemHttpResult>> GetStatus(
        ClaimsPrincipal principal, OnboardingServices services, CancellationToken cancellationToken)
    {
        var user = await services.Db.FindCurrentUserAsync(principal, cancellationToken);
        if (user is null)
        {
            return CurrentUser.Gone();
        }
        var states = await services.Tracker.GetStatesAsync(user.Id, cancellationToken);
        return TypedResults.Ok(OnboardingStatusResponse.From(states, user.OnboardingCompletedAt));
    }

    public static async Task<Results<Ok<OnboardingStatusResponse>, ProblemHttpResult>> CompleteWelcome(
        ClaimsPrincipal principal, OnboardingServices services, CancellationToken cancellationToken)
    {
        var status = await RecordAsync(services, principal, OnboardingSteps.Welcome, OnboardingStepState.Done, null,
            (_, _) => Task.CompletedTask, cancellationToken);
        return status is null ? CurrentUser.Gone() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<OnboardingStatusResponse>, ValidationProblem, ProblemHttpResult>> CompleteProfile(
        UpdateProfileRequest request, ClaimsPrincipal principal, OnboardingServices services,
        CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var status = await RecordAsync(services, principal, OnboardingSteps.Profile, OnboardingStepState.Done, null,
            (user, _) =>
            {
                ProfileRules.Apply(request, user, now);
                return Task.CompletedTask;
            }, cancellationToken);
        return status is null ? CurrentUser.Gone() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<OnboardingStatusResponse>, ValidationProblem, ProblemHttpResult>> CompleteReasons(
        ReasonsStepRequest request, ClaimsPrincipal principal, OnboardingServices services,
        CancellationToken cancellationToken)
    {
        var status = await RecordAsync(services, principal, OnboardingSteps.Reasons, OnboardingStepState.Done, null,
            (user, token) => services.Preferences.SetAsync(user.Id, PreferenceKeys.Reasons,
                PreferenceRules.Normalize(request.Reasons!), token), cancellationToken);
        return status is null ? CurrentUser.Gone() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<OnboardingStatusResponse>, ValidationProblem, ProblemHttpResult>> CompleteWeekend(
        WeekendStepRequest request, ClaimsPrincipal principal, OnboardingServices services,
        CancellationToken cancellationToken)
    {
        var availability = ToAvailability(request);
        var status = await RecordAsync(services, principal, OnboardingSteps.Weekend, OnboardingStepState.Done, null,
            (user, token) => services.Preferences.SetAsync(user.Id, PreferenceKeys.Availability,
                PreferenceRules.Normalize(availability), token), cancellationToken);
        return status is null ? CurrentUser.Gone() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<OnboardingStatusResponse>, ValidationProblem, ProblemHttpResult>> CompleteRecharge(
        RechargeStepRequest request, ClaimsPrincipal principal, OnboardingServices services,
        CancellationToken cancellationToken)
    {
        var choice = request.Choice!.Trim().ToLowerInvariant();
        var data = JsonSerializer.Serialize(new { choice }, JsonSerializerOptions.Web);
        var status = await RecordAsync(services, principal, OnboardingSteps.Recharge, OnboardingStepState.Done, data,
            (_, _) => Task.CompletedTask, cancellationToken);
        return status is null ? CurrentUser.Gone() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<OnboardingStatusResponse>, ProblemHttpResult>> SkipStep(string step,
        ClaimsPrincipal principal, OnboardingServices services, CancellationToken cancellationToken)
    {
        var definition = OnboardingSteps.Find(step);
        if (definition is null)
        {
            return Problems.NotFound($"There is no onboarding step '{step}'.");
        }
        if (!definition.Optional)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.OnboardingStepRequired,
                $"The {definition.Name} step is required and cannot be skipped.");
        }
        var status = await RecordAsync(services, principal, definition.Name, OnboardingStepState.Skipped, null,
            (_, _) => Task.CompletedTask, cancellationToken);
        return status is null ? CurrentUser.Gone() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<UserPreferences>, ValidationProblem, ProblemHttpResult>> SavePreferences(
        OnboardingPreferencesRequest request, ClaimsPrincipal principal, OnboardingServices services,
        CancellationToken cancellationToken)
    {
        var availability = request.Availability is null ? null : ToAvailability(request.Availability);

        var userId = principal.GetUserId();
        var saved = await services.Db.InTransactionAsync(async token =>
        {
            var user = await services.Db.LockActiveUserAsync(userId, token);
            if (user is null)
            {
                return false;
            }
            await services.Preferences.SetAsync(userId, PreferenceKeys.Interests,
                request.InterestIds!.Distinct().ToList(), token);
            if (request.Reasons is { } reasons)
            {
                await services.Preferences.SetAsync(userId, PreferenceKeys.Reasons, PreferenceRules.Normalize(reasons), token);
                await services.Tracker.MarkAsync(user, OnboardingSteps.Reasons, OnboardingStepState.Done, null, token);
            }
            if (availability is not null)
            {
                await services.Preferences.SetAsync(userId, PreferenceKeys.Availability,
                    PreferenceRules.Normalize(availability), token);
                await services.Tracker.MarkAsync(user, OnboardingSteps.Weekend, OnboardingStepState.Done, null, token);
            }
            await services.Db.SaveChangesAsync(token);
            return true;
        }, cancellationToken);
        return saved
            ? TypedResults.Ok(await services.Preferences.GetAsync(userId, cancellationToken))
            : CurrentUser.Gone();
    }

    /// <summary>
    /// Under the user's row lock: saves what the step collected, records its state (which may complete onboarding),
    /// commits, and answers the new status; null when the account is gone.
    /// </summary>
    private static Task<OnboardingStatusResponse?> RecordAsync(OnboardingServices services, ClaimsPrincipal principal,
        string step, OnboardingStepState state, string? data, Func<User, CancellationToken, Task> save,
        CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        return services.Db.InTransactionAsync<OnboardingStatusResponse?>(async token =>
        {
            var user = await services.Db.LockActiveUserAsync(userId, token);
            if (user is null)
            {
                return null;
            }
            await save(user, token);
            await services.Tracker.MarkAsync(user, step, state, data, token);
            await services.Db.SaveChangesAsync(token);
            var states = await services.Tracker.GetStatesAsync(userId, token);
            return OnboardingStatusResponse.From(states, user.OnboardingCompletedAt);
        }, cancellationToken);
    }

    private static WeekendAvailability ToAvailability(WeekendStepRequest request) => new()
    {
        Days = request.Days ?? [],
        TimeSlots = request.TimeSlots ?? [],
    };
}
