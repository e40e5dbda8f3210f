using SaasPanel.Auth.Users;

namespace SaasPanel.Tests.Unit.Auth;

public sealed class UserNameRulesTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData("alice", true)]
    [InlineData("a-1", true)]
    [InlineData("0day", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", true)] // 32
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)] // 33
    [InlineData("ab", false)]
    [InlineData("-ab", false)]
    [InlineData("Alice", false)]
    [InlineData("al ice", false)]
    [InlineData("al_ice", false)]
    [InlineData("al.ice", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_lower_case_letters_digits_and_dashes_from_3_to_32(string? name, bool valid) =>
        Assert.Equal(valid, UserNameRules.IsValid(name));

    [Theory]
    [InlineData("admin")]
    [InlineData("api")]
    [InlineData("u")]
    [InlineData("user")]
    [InlineData("static")]
    [InlineData("login")]
    [InlineData("logout")]
    [InlineData("health")]
    [InlineData("alive")]
    public void Names_of_the_panels_own_paths_are_reserved(string name) => Assert.True(UserNameRules.IsReserved(name));
}
