using SaasPanel.Contracts;

namespace SaasPanel.Tests.Unit.Contracts;

public sealed class EmailAddressesTests
{
    [Theory]
    [InlineData("alice@example.com", true)]
    [InlineData("first.last+tag@sub.example.co", true)]
    [InlineData("admin@localhost", true)]
    [InlineData("a@b", true)]
    [InlineData("UPPER@EXAMPLE.COM", true)]
    [InlineData("a b@c", false)]
    [InlineData("\"q\"@x.com", false)]
    [InlineData("a@b..c", false)]
    [InlineData("a@-b.com", false)]
    [InlineData("a@b-.com", false)]
    [InlineData("x@[1.2.3.4]", false)]
    [InlineData("A <a@b.c>", false)]
    [InlineData("@b.c", false)]
    [InlineData("a@", false)]
    [InlineData("a@@b.c", false)]
    [InlineData("ü@x.com", false)]
    [InlineData("a@ü.com", false)]
    [InlineData("a@b.c\n", false)] // $ alone would let the final newline through
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_plain_local_at_domain_address(string? email, bool valid) => Assert.Equal(valid, EmailAddresses.IsValid(email));

    [Fact]
    public void At_most_254_characters_a_64_character_local_part_and_63_character_labels()
    {
        Assert.True(EmailAddresses.IsValid(OfLength(254)));
        Assert.False(EmailAddresses.IsValid(OfLength(255)));
        Assert.True(EmailAddresses.IsValid(new string('l', 64) + "@example.com"));
        Assert.False(EmailAddresses.IsValid(new string('l', 65) + "@example.com"));
        Assert.True(EmailAddresses.IsValid("a@" + new string('d', 63) + ".com"));
        Assert.False(EmailAddresses.IsValid("a@" + new string('d', 64) + ".com"));
    }

    /// <summary>A well-formed address of exactly <paramref name="length"/> characters (64-character local part, labels of at most 63).</summary>
    public static string OfLength(int length, char fill = 'x')
    {
        var local = new string(fill, 64);
        var domain = new System.Text.StringBuilder();
        for (var left = length - local.Length - 1; left > 0;)
        {
            var label = Math.Min(63, left == 64 ? 62 : left);
            domain.Append(new string('d', label));
            left -= label;
            if (left > 0)
            {
                domain.Append('.');
                left--;
            }
        }

        var email = local + "@" + domain;
        return email.Length == length ? email : throw new InvalidOperationException($"built {email.Length} characters, not {length}");
    }
}
