using System.Data.Common;
using System.Text.Json;

namespace Kinder.Messaging;

/// <summary>
/// Tells a failure that retrying cannot cure (the record itself is wrong) from one that may pass. The consumer host
/// dead-letters the first kind on the first attempt, so a poison record holds its partition up for one attempt, not
/// for the whole retry schedule.
/// </summary>
public static class RecordFailures
{
    /// <summary>
    /// True for a record that cannot be read (<see cref="MalformedEnvelopeException"/>, <see cref="JsonException"/>,
    /// <see cref="FormatException"/>), one a handler refused (<see cref="RecordRejectedException"/>), and a database
    /// error that names the data or the statement (see <see cref="IsDataError"/>); inner exceptions count (EF wraps
    /// the provider's).
    /// </summary>
    public static bool IsPermanent(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case MalformedEnvelopeException or JsonException or FormatException or RecordRejectedException:
                    return true;
                case DbException database:
                    return IsDataError(database);
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return IsPermanent(aggregate.InnerExceptions[0]);
            }
        }
        return false;
    }

    /// <summary>
    /// A database error the same statement would hit again: not transient by the provider's judgement, and in a SQLSTATE
    /// class about the data or the statement — 22 data exception (e.g. 22021 a NUL in text, 22P05 in jsonb), 42 syntax
    /// or access rule, 54 program limit — or a not-null or check violation (23502, 23514). Other integrity violations
    /// (unique, foreign key, exclusion) stay retryable: concurrent writers racing on a row raise them, and the retry
    /// sees the winner's commit.
    /// </summary>
    public static bool IsDataError(DbException exception)
    {
        if (exception.IsTransient || exception.SqlState is not { Length: 5 } state)
            return false;
        return state[..2] is "22" or "42" or "54" || state is "23502" or "23514";
    }
}

/// <summary>Thrown by a handler for a record it can never handle as it is: dead-lettered at once, not retried.</summary>
public sealed class RecordRejectedException(string message, Exception? innerException = null) : Exception(message, innerException);
