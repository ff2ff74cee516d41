using Kinder.Core.Data;
using Kinder.Core.Storage;

namespace Kinder.Api.Events;

/// <summary>The event handlers' dependencies, registered scoped and taken as one service parameter.</summary>
public sealed class EventServices(KinderDbContext db, ObjectStorage storage, TimeProvider time)
{
    public KinderDbContext Db => db;
    public ObjectStorage Storage => storage;
    public TimeProvider Time => time;
}
