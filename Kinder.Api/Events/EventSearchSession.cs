using System.Data;
using System.Data.Common;
using System.Globalization;
using Kinder.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kinder.Api.Events;

/// <summary>A row a search statement read: the hit, whether it is from the public part, its distance on the sphere, and
/// whether it is within the radius (read by the nearest-first KNN scan, which leaves the radius to the reader).</summary>
public sealed record EventSearchRow(EventSearchHit Hit, bool Public, double Sphere, bool Inside);

/// <summary>
/// One connection and transaction for a search's statements (the trigram threshold is set for it). Statements return
/// the columns <c>id</c>, <c>starts_at</c>, <c>sort_key</c> and <c>public</c>, and may add <c>sphere</c> and
/// <c>inside</c>; they are read by name.
/// </summary>
public sealed class EventSearchSession(KinderDbContext db, DbTransaction transaction) : IAsyncDisposable
{
    public static async Task<EventSearchSession> StartAsync(KinderDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SET LOCAL pg_trgm.word_similarity_threshold = " +
                EventSearchQuery.WordSimilarityThreshold.ToString(CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new EventSearchSession(db, transaction);
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    public async Task<List<EventSearchRow>> ReadAsync(string sql, IEnumerable<NpgsqlParameter> parameters,
        EventSearchSort sort, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        var rows = new List<EventSearchRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sphere = Ordinal(reader, "sphere");
        var inside = Ordinal(reader, "inside");
        while (await reader.ReadAsync(cancellationToken))
        {
            var startsAt = new DateTimeOffset(reader.GetDateTime("starts_at"), TimeSpan.Zero);
            var number = sort switch
            {
                EventSearchSort.Date => 0,
                EventSearchSort.Relevance => reader.GetFloat("sort_key"),
                EventSearchSort.Popularity => reader.GetInt32("sort_key"),
                _ => reader.GetDouble("sort_key"),
            };
            rows.Add(new EventSearchRow(new EventSearchHit(reader.GetGuid("id"), startsAt, number),
                reader.GetBoolean("public"),
                sphere is { } sphereColumn ? reader.GetDouble(sphereColumn) : 0,
                inside is not { } insideColumn || reader.GetBoolean(insideColumn)));
        }
        return rows;
    }

    public async Task<List<Guid>> ReadIdsAsync(string sql, IEnumerable<NpgsqlParameter> parameters,
        CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid("id"));
        }
        return ids;
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await db.Database.CloseConnectionAsync();
    }

    private DbCommand Command(string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        // A parameter belongs to one command: each statement gets copies.
        command.Parameters.AddRange(parameters.Select(parameter => parameter.Clone()).ToArray());
        return command;
    }

    private static int? Ordinal(DbDataReader reader, string column) =>
        Enumerable.Range(0, reader.FieldCount).Cast<int?>()
            .FirstOrDefault(index => reader.GetName(index!.Value) == column);
}
