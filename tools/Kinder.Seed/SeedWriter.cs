using System.Diagnostics;
using Kinder.Core.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Kinder.Seed;

/// <summary>Writes the generated data with binary COPY, in one transaction, then analyzes the tables.</summary>
public sealed class SeedWriter(NpgsqlConnection connection)
{
    public async Task<bool> SchemaExistsAsync()
    {
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass('public.events') IS NOT NULL AND to_regclass('public.user_preferences') IS NOT NULL",
            connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every user and event goes, and with them (ON DELETE CASCADE) what references them.</summary>
    public async Task ResetAsync()
    {
        await using var command = new NpgsqlCommand(
            "TRUNCATE event_attendances, events, user_preferences, users CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<SeedInterest>> InterestsAsync()
    {
        var list = new List<SeedInterest>();
        await using var command = new NpgsqlCommand("SELECT id, slug, name FROM interests ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(new SeedInterest(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }
        if (list.Count == 0)
        {
            throw new InvalidOperationException("The interest catalog is empty: apply the migrations first.");
        }
        return list;
    }

    public async Task WriteAsync(SeedData data)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await TimedAsync("users", data.Users.Count, () => CopyUsersAsync(data));
        await TimedAsync("user_preferences", data.Preferences.Count, () => CopyPreferencesAsync(data));
        await TimedAsync("events", data.Events.Count, () => CopyEventsAsync(data));
        await TimedAsync("event_attendances", data.Attendances.Count, () => CopyAttendancesAsync(data));
        await transaction.CommitAsync();
        var watch = Stopwatch.StartNew();
        await using var analyze = new NpgsqlCommand(
            "ANALYZE users; ANALYZE user_preferences; ANALYZE events; ANALYZE event_attendances", connection);
        analyze.CommandTimeout = 600;
        await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"  analyzed in {watch.Elapsed.TotalSeconds:0.0}s");
    }

    private static async Task TimedAsync(string table, int rows, Func<Task<ulong>> copy)
    {
        var watch = Stopwatch.StartNew();
        var written = await copy();
        Console.WriteLine($"  {table}: {written} rows in {watch.Elapsed.TotalSeconds:0.0}s");
        if ((int)written != rows)
        {
            throw new InvalidOperationException($"{table}: wrote {written} of {rows} rows");
        }
    }

    private async Task<ulong> CopyUsersAsync(SeedData data)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY users (id, email, display_name, password_hash, email_verified, email_verified_at, bio, birth_date, "
            + "location, city, roles, onboarding_completed_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
        string[] roles = [KinderRoles.User];
        foreach (var user in data.Users)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(user.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(user.Email, NpgsqlDbType.Citext);
            await writer.WriteAsync(user.DisplayName, NpgsqlDbType.Varchar);
            await writer.WriteAsync(data.PasswordHash, NpgsqlDbType.Varchar);
            await writer.WriteAsync(true, NpgsqlDbType.Boolean);
            await writer.WriteAsync(user.CreatedAt.AddMinutes(5), NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(writer, user.Bio, NpgsqlDbType.Varchar);
            await writer.WriteAsync(user.BirthDate, NpgsqlDbType.Date);
            await writer.WriteAsync(user.Location, NpgsqlDbType.Geography);
            await writer.WriteAsync(user.City, NpgsqlDbType.Varchar);
            await writer.WriteAsync(roles, NpgsqlDbType.Array | NpgsqlDbType.Text);
            await writer.WriteAsync(user.CreatedAt.AddMinutes(10), NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(user.CreatedAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(user.CreatedAt.AddMinutes(10), NpgsqlDbType.TimestampTz);
        }
        return await writer.CompleteAsync();
    }

    private async Task<ulong> CopyPreferencesAsync(SeedData data)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY user_preferences (user_id, key, value, updated_at) FROM STDIN (FORMAT BINARY)");
        foreach (var preference in data.Preferences)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(preference.UserId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(preference.Key, NpgsqlDbType.Varchar);
            await writer.WriteAsync(preference.Value, NpgsqlDbType.Jsonb);
            await writer.WriteAsync(preference.UpdatedAt, NpgsqlDbType.TimestampTz);
        }
        return await writer.CompleteAsync();
    }

    private async Task<ulong> CopyEventsAsync(SeedData data)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY events (id, organizer_id, title, description, starts_at, ends_at, location, address, city, "
            + "category_id, capacity, price_minor, currency, image_keys, visibility, status, going_count, "
            + "interested_count, attendance_sequence, created_at, updated_at, cancelled_at) FROM STDIN (FORMAT BINARY)");
        string[] noImages = [];
        foreach (var e in data.Events)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(e.OrganizerId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(e.Title, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.Description, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.StartsAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(e.EndsAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(e.Location, NpgsqlDbType.Geography);
            await writer.WriteAsync(e.Address, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.City, NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.CategoryId, NpgsqlDbType.Integer);
            await WriteNullableAsync(writer, e.Capacity, NpgsqlDbType.Integer);
            await writer.WriteAsync(e.PriceMinor, NpgsqlDbType.Bigint);
            await WriteNullableAsync(writer, e.Currency, NpgsqlDbType.Char);
            await writer.WriteAsync(noImages, NpgsqlDbType.Array | NpgsqlDbType.Text);
            await writer.WriteAsync(e.Visibility.ToString(), NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.Status.ToString(), NpgsqlDbType.Varchar);
            await writer.WriteAsync(e.GoingCount, NpgsqlDbType.Integer);
            await writer.WriteAsync(e.InterestedCount, NpgsqlDbType.Integer);
            await writer.WriteAsync(e.AttendanceSequence, NpgsqlDbType.Bigint);
            await writer.WriteAsync(e.CreatedAt, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(e.CancelledAt ?? e.CreatedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(writer, e.CancelledAt, NpgsqlDbType.TimestampTz);
        }
        return await writer.CompleteAsync();
    }

    private async Task<ulong> CopyAttendancesAsync(SeedData data)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY event_attendances (event_id, user_id, status, sequence, created_at, updated_at) FROM STDIN (FORMAT BINARY)");
        foreach (var a in data.Attendances)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(a.EventId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(a.UserId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(a.Status.ToString(), NpgsqlDbType.Varchar);
            await writer.WriteAsync(a.Sequence, NpgsqlDbType.Bigint);
            await writer.WriteAsync(a.At, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(a.At, NpgsqlDbType.TimestampTz);
        }
        return await writer.CompleteAsync();
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            await writer.WriteNullAsync();
        }
        else
        {
            await writer.WriteAsync(value, type);
        }
    }
}
