using Kinder.Core.Data;
using Kinder.Core.Preferences;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Profiles;

/// <summary>
/// The handlers' dependencies, registered scoped and taken as one service parameter.
/// </summary>
public sealed class ProfileServices(KinderDbContext db, UserPreferenceStore preferences, IOptions<StorageOptions> storage,
    TimeProvider time)
{
    public KinderDbContext Db => db;
    public UserPreferenceStore Preferences => preferences;
    public IOptions<StorageOptions> Storage => storage;
    public TimeProvider Time => time;
}
