using FluentValidation;
using Kinder.Api.Infrastructure;
using Kinder.Core.Identity;
using Kinder.Core.Moderation;

namespace Kinder.Api.Admin;

public sealed class AnalyticsQueryValidator : AbstractValidator<AnalyticsQuery>
{
    /// <summary>Longest range: two years of days is 730 points, plenty for a chart.</summary>
    public const int MaxDays = 731;

    public AnalyticsQueryValidator()
    {
        RuleFor(query => query.Interval).Must((query, _) => query.Bucket() is not null).WithMessage("day or week.");
        RuleFor(query => query.To).Must((query, to) => query.From is null || to is null || to >= query.From)
            .WithMessage("to is on or after from.");
        RuleFor(query => query.From).Must((query, from) => from is null || query.To is null
                || query.To.Value.DayNumber - from.Value.DayNumber < MaxDays)
            .WithMessage($"At most {MaxDays} days.");
    }
}

public sealed class AdminUsersQueryValidator : AbstractValidator<AdminUsersQuery>
{
    public AdminUsersQueryValidator()
    {
        RuleFor(query => query.Q).MaximumLength(254);
        RuleFor(query => query.Status).Must((query, _) => query.TryGetStatus(out AdminUserStatus? _))
            .WithMessage("active, suspended, banned or deleted.");
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => AdminUserCursor.TryDecode(cursor, out _));
    }
}

public sealed class SuspendUserRequestValidator : AbstractValidator<SuspendUserRequest>
{
    public SuspendUserRequestValidator(TimeProvider time)
    {
        RuleFor(request => request.Until).Must(until => until > time.GetUtcNow())
            .WithMessage("The end of the suspension is in the future (a permanent one is a ban).");
        RuleFor(request => request.Reason).MaximumLength(UserSanction.MaxReasonLength);
    }
}

public sealed class BanUserRequestValidator : AbstractValidator<BanUserRequest>
{
    public BanUserRequestValidator() => RuleFor(request => request.Reason).MaximumLength(UserSanction.MaxReasonLength);
}

public sealed class ChangeRolesRequestValidator : AbstractValidator<ChangeRolesRequest>
{
    public ChangeRolesRequestValidator() =>
        RuleFor(request => request.Roles).NotNull()
            .Must(roles => roles is not null && roles.All(role => KinderRoles.All.Contains(role)))
            .WithMessage($"Roles are among: {string.Join(", ", KinderRoles.All)}.");
}

public sealed class BroadcastRequestValidator : AbstractValidator<BroadcastRequest>
{
    public BroadcastRequestValidator()
    {
        RuleFor(request => request.Title).NotEmpty().MaximumLength(Broadcast.MaxTitleLength);
        RuleFor(request => request.Body).NotEmpty().MaximumLength(Broadcast.MaxBodyLength);
        RuleFor(request => request.Audience!.City).MaximumLength(120).When(request => request.Audience is not null);
        RuleFor(request => request.Audience!.InterestIds).Must(ids => ids is null || ids.Count <= 50)
            .WithMessage("At most 50 interests.").When(request => request.Audience is not null);
    }
}

public sealed class BroadcastsQueryValidator : AbstractValidator<BroadcastsQuery>
{
    public BroadcastsQueryValidator()
    {
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => NewestFirstCursor.TryDecode(cursor, out _));
    }
}

public sealed class AuditLogQueryValidator : AbstractValidator<AuditLogQuery>
{
    public AuditLogQueryValidator()
    {
        RuleFor(query => query.Action).MaximumLength(AuditLog.MaxActionLength);
        RuleFor(query => query.Limit).ValidPageSize();
        RuleFor(query => query.Cursor).KnownCursor(cursor => NewestFirstCursor.TryDecode(cursor, out _));
    }
}
