using Kinder.Core.Data;
using Npgsql;

namespace Kinder.Tests.Data;

public class PoolDefaultsTests
{
    [Fact]
    public void A_plain_connection_string_gets_auto_prepare_and_no_reset_on_close()
    {
        var settings = new NpgsqlConnectionStringBuilder(KinderDbContextOptions.WithPoolDefaults("Host=db;Database=kinderdb"));

        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.Equal(2, settings.AutoPrepareMinUsages);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("db", settings.Host);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;NoResetOnClose=false")]
    [InlineData("Host=db;no reset on close=False")]
    public void A_reset_the_connection_string_asks_for_is_kept(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(KinderDbContextOptions.WithPoolDefaults(connectionString));

        Assert.False(settings.NoResetOnClose);
        Assert.Equal(64, settings.MaxAutoPrepare);
    }

    [Fact]
    public void Auto_prepare_settings_of_the_connection_string_win()
    {
        var settings = new NpgsqlConnectionStringBuilder(
            KinderDbContextOptions.WithPoolDefaults("Host=db;Max Auto Prepare=5;Auto Prepare Min Usages=7"));

        Assert.Equal(5, settings.MaxAutoPrepare);
        Assert.Equal(7, settings.AutoPrepareMinUsages);
        Assert.True(settings.NoResetOnClose);
    }
}
