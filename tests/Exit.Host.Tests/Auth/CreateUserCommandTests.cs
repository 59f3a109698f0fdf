using Exit.Host.Infrastructure.Auth;

namespace Exit.Host.Tests.Auth;

public sealed class CreateUserCommandTests
{
    [Fact]
    public void TryTake_CreateUser_TakesItsOptionsAndLeavesTheRestToTheHost()
    {
        var taken = CreateUserCommand.TryTake(["create-user", "--email", "a@b.dk", "--role", "admin", "--role", "manager", "--urls", "http://x"],
            out var command, out var hostArgs, out var error);

        Assert.True(taken);
        Assert.Null(error);
        Assert.Equal("a@b.dk", command!.Email);
        Assert.Equal(["admin", "manager"], command.Roles);
        Assert.Equal(["--urls", "http://x"], hostArgs);
    }

    [Theory]
    [InlineData(new[] { "create-user", "--role", "admin" }, "--email")]
    [InlineData(new[] { "create-user", "--email", "a@b.dk" }, "--role")]
    [InlineData(new[] { "create-user", "--email", "a@b.dk", "--role", "root" }, "Unknown role")]
    public void TryTake_Incomplete_SaysWhatIsMissing(string[] args, string expected)
    {
        Assert.True(CreateUserCommand.TryTake(args, out _, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTake_OtherArguments_IsNotTheCommand()
    {
        Assert.False(CreateUserCommand.TryTake(["--demo"], out _, out var hostArgs, out _));
        Assert.Equal(["--demo"], hostArgs);
    }
}
