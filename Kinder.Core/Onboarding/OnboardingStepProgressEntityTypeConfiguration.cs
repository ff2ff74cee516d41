using Kinder.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kinder.Core.Onboarding;

public sealed class OnboardingStepProgressEntityTypeConfiguration : IEntityTypeConfiguration<OnboardingStepProgress>
{
    public void Configure(EntityTypeBuilder<OnboardingStepProgress> builder)
    {
        builder.ToTable("onboarding_steps");
        builder.HasKey(progress => new { progress.UserId, progress.Step });
        builder.Property(progress => progress.Step).HasMaxLength(OnboardingStepProgress.MaxStepLength);
        builder.Property(progress => progress.State).HasMaxLength(16).HasConversion(
            state => state.ToString().ToLowerInvariant(),
            value => Enum.Parse<OnboardingStepState>(value, ignoreCase: true));
        builder.Property(progress => progress.Data).HasColumnType("jsonb");
        builder.HasOne<User>().WithMany().HasForeignKey(progress => progress.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
