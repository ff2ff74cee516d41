using Kinder.Api.Identity;

namespace Kinder.Tests.Identity;

/// <summary>The password rule (docs/api/README.md, Auth): at least 8 characters with an upper-case letter, a lower-case letter and a digit.</summary>
public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("Abcdefg1")]
    [InlineData("Correct-Horse-9")]
    [InlineData("ÄÖÜäöü123")]
    public void A_password_with_length_cases_and_a_digit_passes(string password) =>
        Assert.Empty(PasswordPolicy.Shortcomings(password));

    [Theory]
    [InlineData("Abcdef1", "at least 8 characters")]
    [InlineData("abcdefg1", "an upper-case letter")]
    [InlineData("ABCDEFG1", "a lower-case letter")]
    [InlineData("Abcdefgh", "a digit")]
    public void Each_missing_requirement_is_named(string password, string missing) =>
        Assert.Equal([missing], PasswordPolicy.Shortcomings(password));

    [Fact]
    public void A_password_over_the_maximum_length_is_refused()
    {
        Assert.False(MeetsPolicy("Aa1" + new string('x', PasswordPolicy.MaximumLength)));
        Assert.True(MeetsPolicy("Aa1" + new string('x', PasswordPolicy.MaximumLength - 3)));
    }

    private static bool MeetsPolicy(string password) =>
        new ResetPasswordRequestValidator().Validate(new ResetPasswordRequest("token", password)).IsValid;
}
