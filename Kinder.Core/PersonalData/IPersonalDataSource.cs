namespace Kinder.Core.PersonalData;

/// <summary>
/// One feature's share of what Kinder holds about a user. <c>GET /users/me/export</c> asks every source for its
/// section; account deletion asks every source to erase or anonymise. A feature that stores personal data adds a
/// source next to its entities; nothing else needs to know its tables.
/// </summary>
public interface IPersonalDataSource
{
    /// <summary>The export's top-level member for this source (camelCase, e.g. <c>preferences</c>).</summary>
    string Section { get; }

    /// <summary>Everything this feature holds about the user, as plain serialisable data; null when nothing.</summary>
    Task<object?> ExportAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Erases or anonymises the user's data so none of it stays readable. Must be safe to run twice.</summary>
    Task EraseAsync(Guid userId, CancellationToken cancellationToken);
}
