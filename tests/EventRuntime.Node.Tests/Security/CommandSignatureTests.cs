using System.Text;
using EventRuntime.Contracts;

namespace EventRuntime.Node.Tests.Security;

public sealed class CommandSignatureTests
{
    // The worked example of docs/wire-contract.md; its signature was computed with Python's hmac module, not with this code.
    private static readonly byte[] ExampleKey = Encoding.UTF8.GetBytes("k3y-for-the-docs-example-0123456789");

    private static readonly StopContainer ExampleCommand = new()
    {
        CommandId = Guid.Parse("7c4f3e52-1d0a-4b8e-9a53-2f64c1e0b9aa"),
        Node = "demo",
        ContainerId = "web2",
        TimeoutSeconds = 10,
        ResumePaused = false,
        SignedAt = DateTimeOffset.Parse("2026-11-29T01:07:26.583Z", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static readonly StopContainer Signed = CommandSignature.Sign(ExampleCommand, ExampleKey, ExampleCommand.SignedAt!.Value);

    [Fact]
    public void The_canonical_form_is_the_version_line_and_one_length_prefixed_line_per_field()
    {
        Assert.Equal(
            "eventruntime-stop-v1\n" +
            "commandId:36:7c4f3e52-1d0a-4b8e-9a53-2f64c1e0b9aa\n" +
            "node:4:demo\n" +
            "containerId:4:web2\n" +
            "timeoutSeconds:2:10\n" +
            "resumePaused:5:false\n" +
            "signedAt:13:1795914446583\n",
            CommandSignature.CanonicalForm(ExampleCommand));
    }

    [Fact]
    public void The_worked_example_has_the_signature_the_docs_print()
    {
        Assert.Equal("f63d614ba7bb98d038a03afe4ad5c25cb65aa68f3515231b2c56482208dd7cb9", Signed.Signature);
    }

    [Fact]
    public void A_signed_command_matches_under_its_key() => Assert.True(CommandSignature.Matches(Signed, ExampleKey));

    [Fact]
    public void Sign_keeps_signedAt_to_the_millisecond_it_signs()
    {
        var precise = DateTimeOffset.Parse("2026-11-29T02:07:26.5839999+01:00", System.Globalization.CultureInfo.InvariantCulture);
        var signed = CommandSignature.Sign(ExampleCommand, ExampleKey, precise);

        Assert.Equal(ExampleCommand.SignedAt, signed.SignedAt);
        Assert.Equal(TimeSpan.Zero, signed.SignedAt!.Value.Offset);
        Assert.True(CommandSignature.Matches(signed, ExampleKey));
    }

    public static TheoryData<string, StopContainer> Tampered => new()
    {
        { "commandId", Signed with { CommandId = Guid.Parse("7c4f3e52-1d0a-4b8e-9a53-2f64c1e0b9ab") } },
        { "node", Signed with { Node = "demo2" } },
        { "containerId", Signed with { ContainerId = "web3" } },
        { "timeoutSeconds", Signed with { TimeoutSeconds = 0 } },
        { "resumePaused", Signed with { ResumePaused = true } },
        { "signedAt one millisecond later", Signed with { SignedAt = Signed.SignedAt!.Value.AddMilliseconds(1) } },
        { "signature, one digit", Signed with { Signature = "e" + Signed.Signature![1..] } },
        { "signature, upper-case copy of another", Signed with { Signature = new string('A', CommandSignature.HexLength) } },
        { "signature, truncated", Signed with { Signature = Signed.Signature![..^2] } },
        { "signature, not hex", Signed with { Signature = "zz" + Signed.Signature![2..] } },
        { "signature missing", Signed with { Signature = null } },
        { "signedAt missing", Signed with { SignedAt = null } },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void A_changed_field_does_not_match(string description, StopContainer tampered)
    {
        Assert.False(CommandSignature.Matches(tampered, ExampleKey), description);
    }

    [Fact]
    public void Another_key_does_not_match()
    {
        Assert.False(CommandSignature.Matches(Signed, Encoding.UTF8.GetBytes("k3y-for-the-docs-example-0123456788")));
    }

    public static TheoryData<string, StopContainer, StopContainer> Shifted => new()
    {
        { "a character moved from node to containerId", ExampleCommand with { Node = "dem", ContainerId = "oweb2" }, ExampleCommand },
        {
            "a field line smuggled into node",
            ExampleCommand with { Node = "demo\ncontainerId:4:web2", ContainerId = "" },
            ExampleCommand with { Node = "demo", ContainerId = "web2\ncontainerId:0:" }
        },
        { "node and containerId swapped", ExampleCommand with { Node = "web2", ContainerId = "demo" }, ExampleCommand },
    };

    [Theory]
    [MemberData(nameof(Shifted))]
    public void Values_shifted_between_fields_give_another_canonical_form_and_signature(string description, StopContainer one, StopContainer other)
    {
        Assert.NotEqual(CommandSignature.CanonicalForm(one), CommandSignature.CanonicalForm(other));
        var signed = CommandSignature.Sign(one, ExampleKey, ExampleCommand.SignedAt!.Value);
        Assert.False(CommandSignature.Matches(signed with { Node = other.Node, ContainerId = other.ContainerId }, ExampleKey), description);
    }

    [Fact]
    public void A_command_without_signedAt_has_no_canonical_form()
    {
        var error = Assert.Throws<ArgumentException>(() => CommandSignature.CanonicalForm(ExampleCommand with { SignedAt = null }));
        Assert.Contains("web2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_is_its_text_without_surrounding_white_space()
    {
        Assert.Equal(ExampleKey, CommandKey.FromText("  k3y-for-the-docs-example-0123456789\n"));
    }

    [Fact]
    public void A_key_shorter_than_16_bytes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CommandKey.FromText("fifteen-bytes!!\n"));
        Assert.Contains("at least 16 bytes; this one has 15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "sig-missing-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<IOException>(() => CommandKey.FromFile(path));
        Assert.StartsWith($"command key file {path} cannot be used: ", error.Message, StringComparison.Ordinal);
    }
}
