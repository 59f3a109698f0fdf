using Exit.Workflows.Persistence;
using Npgsql;
using Xunit;

namespace Exit.Workflows.Tests.Persistence;

public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void A_connection_string_without_them_gets_no_reset_on_close_and_prepared_statements()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply("Host=db.example;Username=exit;Database=exit"));

        Assert.True(applied.NoResetOnClose);
        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal("db.example", applied.Host);
        Assert.Equal("exit", applied.Database);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;noresetonclose=false;MAXAUTOPREPARE=0")]
    public void An_operators_explicit_values_win_in_either_spelling(string connectionString)
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString));

        Assert.False(applied.NoResetOnClose);
        Assert.Equal(0, applied.MaxAutoPrepare);
    }
}
