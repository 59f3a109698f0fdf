using Exit.Workflows.Testing;
using Xunit;

namespace Exit.Workflows.Tests.Testing;

public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Advance_MovesUtcNowAndTimestamp()
    {
        var clock = new ManualTimeProvider(Start);
        var t0 = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(Start.AddMinutes(5), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(5), clock.GetElapsedTime(t0));
    }

    [Fact]
    public void LocalTimeZone_IsConfigurable()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Copenhagen");
        var clock = new ManualTimeProvider(Start, zone);

        Assert.Same(zone, clock.LocalTimeZone);
        Assert.Equal(TimeSpan.FromHours(1), clock.GetLocalNow().Offset);
    }

    [Fact]
    public void SetUtcNow_Backwards_Throws()
    {
        var clock = new ManualTimeProvider(Start);

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(Start.AddSeconds(-1)));
    }

    [Fact]
    public void CreateTimer_FiresOnlyWhenClockPassesDueTime()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(fired);

        clock.Advance(TimeSpan.FromDays(120));
        Assert.Equal([Start.AddSeconds(9).AddDays(120)], fired);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Single(fired);
    }

    [Fact]
    public void CreateTimer_DueNow_FiresInsideTheCall()
    {
        var clock = new ManualTimeProvider(Start);
        var count = 0;

        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal(1, count);
    }

    [Fact]
    public void PeriodicTimer_FiresOncePerJumpThenEveryPeriod()
    {
        var clock = new ManualTimeProvider(Start);
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, count);
    }

    [Fact]
    public void Change_And_Dispose_AreHonoured()
    {
        var clock = new ManualTimeProvider(Start);
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, count);

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, count);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Callback_ThatRearmsItsTimer_DoesNotRecurse()
    {
        var clock = new ManualTimeProvider(Start);
        var count = 0;
        ITimer? timer = null;
        timer = clock.CreateTimer(
            _ =>
            {
                count++;
                timer!.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, count);
        timer.Dispose();
    }

    [Fact]
    public async Task TaskDelay_OnTheProvider_CompletesWhenAdvanced()
    {
        var clock = new ManualTimeProvider(Start);
        var delay = Task.Delay(TimeSpan.FromDays(30), clock);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromDays(30));

        await delay.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Advance_FromManyThreads_FiresEveryTimerOnce()
    {
        var clock = new ManualTimeProvider(Start);
        var fired = 0;
        var timers = Enumerable.Range(1, 200)
            .Select(i => clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(i), Timeout.InfiniteTimeSpan))
            .ToList();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        })));

        Assert.Equal(200, fired);
        timers.ForEach(t => t.Dispose());
    }
}
