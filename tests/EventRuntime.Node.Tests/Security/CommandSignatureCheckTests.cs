using System.Text;
using EventRuntime.Contracts;
using EventRuntime.Node.Sagas;
using EventRuntime.Node.Security;
using EventRuntime.Node.Stopping;
using Microsoft.Extensions.Options;

namespace EventRuntime.Node.Tests.Security;

public sealed class CommandSignatureCheckTests
{
    private const string Key = "sig-unit-test-key-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly StopContainer Command = new()
    {
        CommandId = Guid.NewGuid(), Node = "node-a", ContainerId = "sig-web", TimeoutSeconds = 10,
    };

    public static TheoryData<string, StopContainer, string?> Cases => new()
    {
        { "signed now", SignedAt(Now), null },
        { "signed 300 s ago, the edge of the window", SignedAt(Now.AddSeconds(-300)), null },
        { "signed 30 s in the future (clock skew)", SignedAt(Now.AddSeconds(30)), null },
        { "unsigned", Command, "invalid command: unsigned command, this node requires signed commands" },
        { "signature without signedAt", SignedAt(Now) with { SignedAt = null }, "invalid command: signedAt is missing; a signed command needs the time it was signed" },
        { "tampered containerId", SignedAt(Now) with { ContainerId = "sig-db" }, "invalid command: signature does not match" },
        { "tampered timeout", SignedAt(Now) with { TimeoutSeconds = 0 }, "invalid command: signature does not match" },
        { "wrong key", CommandSignature.Sign(Command, Encoding.UTF8.GetBytes("sig-some-other-key-0123456789abc"), Now), "invalid command: signature does not match" },
        { "stale", SignedAt(Now.AddSeconds(-412)), "invalid command: signedAt is 412 s old; the replay window is 300 s" },
        { "future", SignedAt(Now.AddSeconds(412)), "invalid command: signedAt is 412 s in the future; the replay window is 300 s" },
        { "stale and forged: the forgery is reported", SignedAt(Now.AddSeconds(-412)) with { Node = "node-b" }, "invalid command: signature does not match" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_node_with_a_key_accepts_only_fresh_commands_signed_with_it(string description, StopContainer command, string? expected)
    {
        Assert.True(expected == Check(new SecurityOptions { CommandKey = Key }).Problem(command), description);
    }

    [Fact]
    public void A_node_without_a_key_accepts_unsigned_commands()
    {
        Assert.Null(Check(new SecurityOptions()).Problem(Command));
    }

    [Fact]
    public void A_key_file_works_like_the_inline_key()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Key + "\n");
            var check = Check(new SecurityOptions { CommandKeyFile = file });
            Assert.Null(check.Problem(SignedAt(Now)));
            Assert.Equal("invalid command: unsigned command, this node requires signed commands", check.Problem(Command));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void During_a_rotation_window_the_previous_key_also_signs_and_after_it_only_the_current_one()
    {
        const string NewKey = "sig-unit-test-key-rotated-fedcba98";
        var previous = Path.GetTempFileName();
        try
        {
            File.WriteAllText(previous, Key + "\n");
            var rotation = new SecurityOptions { CommandKey = NewKey, PreviousCommandKeyFile = previous, PreviousCommandKeyUntil = Now.AddMinutes(10) };
            var byOld = SignedAt(Now);
            var byNew = CommandSignature.Sign(Command, CommandKey.FromText(NewKey), Now);
            var during = Check(rotation);
            var after = new CommandSignatureCheck(Options.Create(rotation), new FixedClock(Now.AddMinutes(10)));

            Assert.Null(during.Problem(byOld));
            Assert.Null(during.Problem(byNew));
            Assert.Equal("invalid command: signed with the previous command key, which was accepted until 2026-11-29T12:10:00.0000000+00:00", after.Problem(SignedAt(Now.AddMinutes(10))));
            Assert.Null(after.Problem(CommandSignature.Sign(Command, CommandKey.FromText(NewKey), Now.AddMinutes(10))));
            Assert.Equal("invalid command: signature does not match", during.Problem(CommandSignature.Sign(Command, Encoding.UTF8.GetBytes("sig-some-other-key-0123456789abc"), Now)));
        }
        finally
        {
            File.Delete(previous);
        }
    }

    [Fact]
    public void The_signature_is_checked_before_the_command_rules()
    {
        var unsignedForAnotherNode = Command with { Node = "node-b" };

        Assert.Equal("invalid command: unsigned command, this node requires signed commands",
            StopCommandRules.Problem(unsignedForAnotherNode, "node-a", Check(new SecurityOptions { CommandKey = Key })));
        Assert.StartsWith("invalid command: it is addressed to node \"node-b\"", StopCommandRules.Problem(unsignedForAnotherNode, "node-a"), StringComparison.Ordinal);
    }

    public static TheoryData<string, SecurityOptions, string?> Settings => new()
    {
        { "no key", new SecurityOptions(), null },
        { "inline key, default window", new SecurityOptions { CommandKey = Key }, null },
        { "a window of half the retention", new SecurityOptions { CommandKey = Key, ReplayWindowSeconds = 43_200 }, null },
        {
            "a missing key file", new SecurityOptions { CommandKeyFile = "/nonexistent/sig-key" },
            "Security:CommandKeyFile /nonexistent/sig-key cannot be used: Could not find a part of the path '/nonexistent/sig-key'."
        },
        { "a short inline key", new SecurityOptions { CommandKey = "short-key" }, "Security:CommandKey cannot be used: a command key must be at least 16 bytes; this one has 9" },
        { "both", new SecurityOptions { CommandKey = Key, CommandKeyFile = "/etc/hostname" }, "Security:CommandKeyFile and Security:CommandKey are both set; set one" },
        { "no window", new SecurityOptions { ReplayWindowSeconds = 0 }, "Security:ReplayWindowSeconds 0 must be positive" },
        {
            "a previous key without the end of its window", new SecurityOptions { CommandKey = Key, PreviousCommandKeyFile = "/etc/hostname" },
            "Security:PreviousCommandKeyFile is set without Security:PreviousCommandKeyUntil, the end of the rotation window"
        },
        {
            "an end of window without a previous key", new SecurityOptions { CommandKey = Key, PreviousCommandKeyUntil = Now },
            "Security:PreviousCommandKeyUntil is set without Security:PreviousCommandKeyFile"
        },
        {
            "a previous key without a current one", new SecurityOptions { PreviousCommandKeyFile = "/etc/hostname", PreviousCommandKeyUntil = Now },
            "Security:PreviousCommandKeyFile is set without a current key (Security:CommandKeyFile or Security:CommandKey)"
        },
        {
            "a missing previous key file", new SecurityOptions { CommandKey = Key, PreviousCommandKeyFile = "/nonexistent/sig-old", PreviousCommandKeyUntil = Now },
            "Security:PreviousCommandKeyFile /nonexistent/sig-old cannot be used: Could not find a part of the path '/nonexistent/sig-old'."
        },
        {
            "a window longer than half the retention", new SecurityOptions { CommandKey = Key, ReplayWindowSeconds = 43_201 },
            "Security:ReplayWindowSeconds 43201 is too long for Sagas:CompletedRetention 1.00:00:00: twice the window must fit in the retention, or a replayed command could stop a container twice"
        },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Settings_are_checked_at_start_with_one_line_each(string description, SecurityOptions options, string? expected)
    {
        // The window is checked against the saga retention by the saga store's validator; both run at start.
        var results = new[]
        {
            new SecurityOptionsValidator().Validate(null, options),
            new SagaStoreOptionsValidator(Options.Create(options)).Validate(null, new SagaStoreOptions()),
        };
        var failures = results.Where(r => r.Failed).SelectMany(r => r.Failures!).ToList();

        Assert.True(expected == (failures.Count > 0 ? string.Join(" | ", failures) : null), $"{description}: {string.Join(" | ", failures)}");
    }

    private static StopContainer SignedAt(DateTimeOffset at) => CommandSignature.Sign(Command, CommandKey.FromText(Key), at);

    private static CommandSignatureCheck Check(SecurityOptions options) => new(Options.Create(options), new FixedClock(Now));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
