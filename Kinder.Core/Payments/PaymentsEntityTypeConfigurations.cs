using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Payments;

public sealed class PaymentEntityTypeConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments", table =>
        {
            table.HasCheckConstraint("ck_payments_amount", "amount_minor >= 0");
            table.HasCheckConstraint("ck_payments_credits", "credits >= 0");
        });
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.ProductId).HasMaxLength(64);
        builder.Property(p => p.IdempotencyKey).HasMaxLength(Payment.MaxIdempotencyKeyLength);
        builder.Property(p => p.StripePaymentIntentId).HasMaxLength(255);
        builder.Property(p => p.FailureCode).HasMaxLength(64);
        builder.Property(p => p.FailureMessage).HasMaxLength(500);
        builder.Property(p => p.ReceiptUrl).HasMaxLength(2048);
        builder.Property(p => p.DestinationAccountId).HasMaxLength(255);
        builder.HasIndex(p => new { p.UserId, p.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
        builder.HasIndex(p => p.StripePaymentIntentId).IsUnique();
        builder.HasIndex(p => new { p.UserId, p.CreatedAt, p.Id });
        // Revenue on the admin dashboard and analytics: index-only range scans over the succeeded ones.
        builder.HasIndex(p => p.CreatedAt, "ix_payments_created_at_succeeded")
            .HasDatabaseName("ix_payments_created_at_succeeded").HasFilter("status = 'Succeeded'")
            .IncludeProperties(p => new { p.AmountMinor, p.Currency });
    }
}

public sealed class CreditEntryEntityTypeConfiguration : IEntityTypeConfiguration<CreditEntry>
{
    public void Configure(EntityTypeBuilder<CreditEntry> builder)
    {
        builder.ToTable("credit_entries", table =>
            table.HasCheckConstraint("ck_credit_entries_sign",
                "(kind IN ('Recharge', 'Refund') AND credits > 0) OR (kind = 'Spend' AND credits < 0) OR kind = 'Adjustment'"));
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(200);
        // The database's own guard against crediting a payment twice, beside the status check that normally prevents it.
        builder.HasIndex(e => new { e.PaymentId, e.Kind }).IsUnique().HasFilter("payment_id IS NOT NULL");
        builder.HasIndex(e => new { e.UserId, e.CreatedAt, e.Id });
        builder.HasOne<Wallet>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class WalletEntityTypeConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> builder)
    {
        builder.ToTable("wallets");
        builder.HasKey(w => w.UserId);
        builder.Property(w => w.UserId).ValueGeneratedNever();
    }
}

public sealed class PaymentCustomerEntityTypeConfiguration : IEntityTypeConfiguration<PaymentCustomer>
{
    public void Configure(EntityTypeBuilder<PaymentCustomer> builder)
    {
        builder.ToTable("payment_customers");
        builder.HasKey(c => c.UserId);
        builder.Property(c => c.UserId).ValueGeneratedNever();
        builder.Property(c => c.StripeCustomerId).HasMaxLength(255);
    }
}

public sealed class StripeEventRecordEntityTypeConfiguration : IEntityTypeConfiguration<StripeEventRecord>
{
    public void Configure(EntityTypeBuilder<StripeEventRecord> builder)
    {
        builder.ToTable("stripe_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(255).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.Property(e => e.Payload).HasColumnType("jsonb");
    }
}

public sealed class TicketEntityTypeConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.ToTable("tickets");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.PayWith).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(t => new { t.EventId, t.Status });
        builder.HasIndex(t => t.PaymentId).IsUnique().HasFilter("payment_id IS NOT NULL");
        builder.HasIndex(t => new { t.UserId, t.EventId });
    }
}

public sealed class SubscriptionEntityTypeConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.ProductId).HasMaxLength(64);
        builder.Property(s => s.StripeSubscriptionId).HasMaxLength(255);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(24);
        builder.HasIndex(s => s.StripeSubscriptionId).IsUnique();
        builder.HasIndex(s => new { s.UserId, s.Status });
    }
}

public sealed class ConnectAccountEntityTypeConfiguration : IEntityTypeConfiguration<ConnectAccount>
{
    public void Configure(EntityTypeBuilder<ConnectAccount> builder)
    {
        builder.ToTable("connect_accounts");
        builder.HasKey(a => a.UserId);
        builder.Property(a => a.UserId).ValueGeneratedNever();
        builder.Property(a => a.StripeAccountId).HasMaxLength(255);
        builder.HasIndex(a => a.StripeAccountId).IsUnique();
    }
}
