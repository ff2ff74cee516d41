using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Kinder.Core.Data;

/// <summary>
/// One hand-written SELECT (window functions, trigram operators and the like that LINQ does not say), read row by row on
/// the context's connection and inside its transaction if one is open.
/// </summary>
public static class RawReads
{
    /// <summary>Retried on transient failures as EF's own queries are (a read: safe to run again).</summary>
    public static Task<List<T>> ReadRawAsync<T>(this KinderDbContext db, string sql,
        IReadOnlyList<NpgsqlParameter> parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
                command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
                // A parameter belongs to one command: a retry gets copies.
                command.Parameters.AddRange(parameters.Select(parameter => parameter.Clone()).ToArray());
                var rows = new List<T>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }
                return rows;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
}
