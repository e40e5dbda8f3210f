using SaasPanel.Contracts;

namespace SaasPanel.Tests.Unit.Contracts;

public sealed class UserNamesTests
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
    [InlineData("ålice", false)]
    [InlineData("ａｂｃ", false)] // full-width
    [InlineData("abc\n", false)] // $ alone would let the final newline through
    [InlineData("\nabc", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_lower_case_ascii_letters_digits_and_dashes_from_3_to_32(string? name, bool valid) =>
        Assert.Equal(valid, UserNames.IsValid(name));

    [Theory]
    [InlineData("admin")]
    [InlineData("api")]
    [InlineData("openapi")]
    [InlineData("u")]
    [InlineData("user")]
    [InlineData("static")]
    [InlineData("login")]
    [InlineData("logout")]
    [InlineData("health")]
    [InlineData("healthz")]
    [InlineData("alive")]
    public void Names_of_the_products_own_paths_are_reserved(string name) => Assert.True(UserNames.IsReserved(name));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("Alice", "3-32 characters")]
    [InlineData("admin", "reserved")]
    [InlineData("alice", null)]
    public void Validate_says_why(string? name, string? reason)
    {
        var error = UserNames.Validate(name);

        if (reason is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(reason, error);
        }
    }
}
