using FluentValidation;
using Kinder.Core.Data;
using Kinder.Core.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kinder.Core.Chat;

/// <summary>
/// A send's rules, the same for REST and the hub (decision 0009). The default rules look at the fields only; the
/// <see cref="StoredRules"/> look at the database (the sender's uploads, the invited event) and run only after the
/// access check, so a non-member learns nothing from them.
/// </summary>
/// <remarks>
/// Built once (it takes nothing): the stored rules find the request's DbContext in the validation context
/// (<see cref="ServicesKey"/>), and only a send with attachments or an invite asks for it.
/// </remarks>
public sealed class SendMessageCommandValidator : AbstractValidator<SendMessageCommand>
{
    public const string StoredRules = "Stored";

    /// <summary>Where the stored rules leave the uploads they read (by key), so the submitter need not read them again.</summary>
    public const string UploadsKey = "uploads";

    /// <summary>Where the caller of the stored rules leaves its scope's services.</summary>
    public const string ServicesKey = "services";

    public SendMessageCommandValidator()
    {
        RuleFor(command => command.ClientMessageId).Custom((clientMessageId, context) =>
        {
            if (string.IsNullOrWhiteSpace(clientMessageId))
                context.AddFailure("A client message id is required (the same one on every retry).");
            else if (clientMessageId.Length > Message.MaxClientMessageIdLength)
                context.AddFailure($"At most {Message.MaxClientMessageIdLength} characters.");
        });
        RuleFor(command => command.Type).Must(type => MessageTypes.FromClient(type ?? "text") is not null)
            .WithMessage("One of text, image, file, event_invite.");
        When(command => command.ParsedType is not null, () =>
        {
            RuleFor(command => command.Body).Custom((body, context) =>
            {
                if (body is { Length: > Message.MaxBodyLength })
                    context.AddFailure($"At most {Message.MaxBodyLength} characters.");
                else if (context.InstanceToValidate.ParsedType == MessageType.Text && string.IsNullOrWhiteSpace(body))
                    context.AddFailure("A text message needs a body.");
            });
            RuleFor(command => command.AttachmentKeys).Custom((keys, context) =>
            {
                var count = keys?.Count ?? 0;
                if (context.InstanceToValidate.ParsedType is MessageType.Image or MessageType.File)
                {
                    if (count == 0)
                        context.AddFailure("An image or file message needs at least one attachment.");
                    else if (count > Message.MaxAttachments)
                        context.AddFailure($"At most {Message.MaxAttachments} attachments.");
                }
                else if (count > 0)
                {
                    context.AddFailure("Only image and file messages carry attachments.");
                }
            });
            RuleFor(command => command.EventId).NotNull().When(command => command.ParsedType == MessageType.EventInvite)
                .WithMessage("An event invite names its event.");
        });

        RuleSet(StoredRules, () =>
        {
            // Attachments must be the sender's own completed uploads; an image message carries only images.
            RuleFor(command => command.AttachmentKeys).CustomAsync(async (keys, context, cancellationToken) =>
            {
                var distinct = (keys ?? []).Distinct().ToList();
                if (distinct.Count == 0)
                    return;
                var command = context.InstanceToValidate;
                var uploads = await Db(context).CompletedUploadsAsync(command.SenderId, distinct, cancellationToken);
                context.RootContextData[UploadsKey] = uploads;
                foreach (var key in distinct)
                {
                    if (!uploads.TryGetValue(key, out var upload))
                    {
                        context.AddFailure($"'{key}' is not one of your completed uploads.");
                        return;
                    }
                    if (command.ParsedType == MessageType.Image && !upload.IsImage)
                    {
                        context.AddFailure($"'{key}' is not an image.");
                        return;
                    }
                }
            });
            // An event the sender cannot see is answered like one that does not exist: no oracle for private events.
            RuleFor(command => command.EventId)
                .MustAsync(async (command, eventId, context, cancellationToken) =>
                    await Db(context).Set<Event>().AsNoTracking()
                        .FirstOrDefaultAsync(e => e.Id == eventId && e.Status == EventStatus.Published, cancellationToken)
                        is { } invited
                    && await Db(context).CanSeeAsync(invited, command.SenderId, cancellationToken))
                .When(command => command.ParsedType == MessageType.EventInvite)
                .WithMessage("No such event.");
        });
    }

    private static KinderDbContext Db(ValidationContext<SendMessageCommand> context) =>
        ((IServiceProvider)context.RootContextData[ServicesKey]).GetRequiredService<KinderDbContext>();
}
