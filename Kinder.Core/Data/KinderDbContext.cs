using Kinder.Core.Diagnostics;
using Kinder.Core.Events;
using Kinder.Core.Identity;
using Kinder.Core.Interests;
using Kinder.Core.Onboarding;
using Kinder.Core.Outbox;
using Kinder.Core.Preferences;
using Kinder.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Kinder.Core.Data;

/// <summary>
/// The one database context. Features add their sets here and their mapping in
/// <c>*EntityTypeConfiguration</c> classes next to the entity, picked up by assembly scan.
/// </summary>
public class KinderDbContext(DbContextOptions<KinderDbContext> options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Probe> Probes => Set<Probe>();
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Interest> Interests => Set<Interest>();
    public DbSet<UserPreference> UserPreferences => Set<UserPreference>();
    public DbSet<OnboardingStepProgress> OnboardingSteps => Set<OnboardingStepProgress>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<Event> Events => Set<Event>();
    public DbSet<EventAttendance> EventAttendances => Set<EventAttendance>();
    public DbSet<Kinder.Core.Uploads.Upload> Uploads => Set<Kinder.Core.Uploads.Upload>();
    public DbSet<Kinder.Core.Calendar.CalendarFeed> CalendarFeeds => Set<Kinder.Core.Calendar.CalendarFeed>();
    public DbSet<Kinder.Core.Chat.Conversation> Conversations => Set<Kinder.Core.Chat.Conversation>();
    public DbSet<Kinder.Core.Chat.ConversationMember> ConversationMembers => Set<Kinder.Core.Chat.ConversationMember>();
    public DbSet<Kinder.Core.Chat.Message> Messages => Set<Kinder.Core.Chat.Message>();
    public DbSet<Kinder.Core.Chat.MessageReaction> MessageReactions => Set<Kinder.Core.Chat.MessageReaction>();
    public DbSet<Kinder.Core.Chat.UserBlock> UserBlocks => Set<Kinder.Core.Chat.UserBlock>();
    public DbSet<Kinder.Core.Friends.FriendRequest> FriendRequests => Set<Kinder.Core.Friends.FriendRequest>();
    public DbSet<Kinder.Core.Friends.Friendship> Friendships => Set<Kinder.Core.Friends.Friendship>();
    public DbSet<EventInvite> EventInvites => Set<EventInvite>();
    public DbSet<Kinder.Core.Payments.Payment> Payments => Set<Kinder.Core.Payments.Payment>();
    public DbSet<Kinder.Core.Payments.CreditEntry> CreditEntries => Set<Kinder.Core.Payments.CreditEntry>();
    public DbSet<Kinder.Core.Payments.Wallet> Wallets => Set<Kinder.Core.Payments.Wallet>();
    public DbSet<Kinder.Core.Payments.PaymentCustomer> PaymentCustomers => Set<Kinder.Core.Payments.PaymentCustomer>();
    public DbSet<Kinder.Core.Payments.Ticket> Tickets => Set<Kinder.Core.Payments.Ticket>();
    public DbSet<Kinder.Core.Payments.StripeEventRecord> StripeEvents => Set<Kinder.Core.Payments.StripeEventRecord>();
    public DbSet<Kinder.Core.Devices.Device> Devices => Set<Kinder.Core.Devices.Device>();
    public DbSet<Kinder.Core.Devices.PushDelivery> PushDeliveries => Set<Kinder.Core.Devices.PushDelivery>();

    public DbSet<Kinder.Core.Notifications.Notification> Notifications => Set<Kinder.Core.Notifications.Notification>();
    public DbSet<Kinder.Core.Notifications.NotificationSettings> NotificationSettings => Set<Kinder.Core.Notifications.NotificationSettings>();
    public DbSet<Kinder.Core.Notifications.ScheduledJob> ScheduledJobs => Set<Kinder.Core.Notifications.ScheduledJob>();

    public DbSet<Kinder.Core.Moderation.AuditLog> AuditLogs => Set<Kinder.Core.Moderation.AuditLog>();
    public DbSet<Kinder.Core.Moderation.Report> Reports => Set<Kinder.Core.Moderation.Report>();
    public DbSet<Kinder.Core.Moderation.UserSanction> UserSanctions => Set<Kinder.Core.Moderation.UserSanction>();
    public DbSet<Kinder.Core.Moderation.Broadcast> Broadcasts => Set<Kinder.Core.Moderation.Broadcast>();
    public DbSet<Kinder.Core.Admin.DailyActivity> DailyActivity => Set<Kinder.Core.Admin.DailyActivity>();

    public DbSet<Kinder.Core.Payments.Subscription> Subscriptions => Set<Kinder.Core.Payments.Subscription>();
    public DbSet<Kinder.Core.Payments.ConnectAccount> ConnectAccounts => Set<Kinder.Core.Payments.ConnectAccount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.HasPostgresExtension("citext");
        // GiST over scalar columns next to a geography (events' discovery index).
        modelBuilder.HasPostgresExtension("btree_gist");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(KinderDbContext).Assembly);
    }
}
