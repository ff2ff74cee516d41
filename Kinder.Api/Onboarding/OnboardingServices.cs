using Kinder.Core.Data;
using Kinder.Core.Onboarding;
using Kinder.Core.Preferences;

namespace Kinder.Api.Onboarding;

/// <summary>
/// The handlers' dependencies, registered scoped and taken as one service parameter.
/// </summary>
public sealed class OnboardingServices(KinderDbContext db, OnboardingTracker tracker, UserPreferenceStore preferences,
    TimeProvider time)
{
    public KinderDbContext Db => db;
    public OnboardingTracker Tracker => tracker;
    public UserPreferenceStore Preferences => preferences;
    public TimeProvider Time => time;
}
