using Kinder.Core.Data;
using Kinder.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kinder.Api.Events;

/// <summary>The event handlers' dependencies, registered scoped and taken as one service parameter.</summary>
public sealed class EventServices(KinderDbContext db, IOptions<StorageOptions> storage, TimeProvider time)
{
    public KinderDbContext Db => db;
    public StorageOptions Storage => storage.Value;
    public TimeProvider Time => time;
}
