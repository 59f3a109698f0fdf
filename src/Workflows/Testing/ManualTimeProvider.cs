namespace Exit.Workflows.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock only moves when a test moves it, so that anything built on
/// <see cref="TimeProvider"/> (our due-time code, Quartz's scheduling loop, <c>Task.Delay(span, provider)</c>)
/// can be driven deterministically.
/// </summary>
/// <remarks>
/// <para>
/// <b>Timers.</b> <see cref="CreateTimer"/> returns a timer that fires when the clock reaches its due time,
/// through <see cref="Advance"/> or <see cref="SetUtcNow"/>. A timer already due when it is created or
/// changed (due time zero) fires inside that call. Callbacks run on the thread that moved the clock,
/// outside any lock, in due-time order, with the <see cref="ExecutionContext"/> captured at creation, as
/// <see cref="TimeProvider.System"/> timers do.
/// </para>
/// <para>
/// <b>Advancing is a clock jump</b>, like a host waking from sleep, not a replay of every instant in
/// between: callbacks see the new time, and a periodic timer that missed several periods fires once and
/// is then due one period after the new time. Without that, advancing four months would fire a
/// one-second periodic timer ten million times.
/// </para>
/// <para>
/// The clock never goes backwards (<see cref="SetUtcNow"/> refuses an earlier time), so
/// <see cref="GetTimestamp"/> stays monotonic: it counts the ticks the clock has been advanced by.
/// All members are thread-safe.
/// </para>
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>The default start: an arbitrary, fixed instant so that tests are reproducible.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);

    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private readonly TimeZoneInfo localTimeZone;
    private DateTimeOffset utcNow;
    private long elapsedTicks;
    private long sequence;
    private bool firing;
    private bool fireAgain;

    public ManualTimeProvider(DateTimeOffset? start = null, TimeZoneInfo? localTimeZone = null)
    {
        utcNow = (start ?? DefaultStart).ToUniversalTime();
        this.localTimeZone = localTimeZone ?? TimeZoneInfo.Utc;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => localTimeZone;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>How many timers are armed (created, not disposed, with a due time). For test diagnostics.</summary>
    public int ArmedTimerCount
    {
        get
        {
            lock (gate)
            {
                return timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return utcNow;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (gate)
        {
            return elapsedTicks;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/> and fires every timer that has come due.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (gate)
        {
            utcNow += delta;
            elapsedTicks += delta.Ticks;
        }

        FireDueTimers();
    }

    /// <summary>Sets the clock to <paramref name="value"/> (not earlier than now) and fires every timer that has come due.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than the current time.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (gate)
        {
            if (value < utcNow)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"The manual clock cannot go backwards; it is at {utcNow:O}.");
            }

            elapsedTicks += (value - utcNow).Ticks;
            utcNow = value.ToUniversalTime();
        }

        FireDueTimers();
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state, ExecutionContext.Capture());
        lock (gate)
        {
            timers.Add(timer);
            Arm(timer, dueTime, period);
        }

        FireDueTimers();
        return timer;
    }

    private static void ValidateSpan(TimeSpan span, string name)
    {
        if (span < TimeSpan.Zero && span != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, span, "Must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }

    // Caller holds the gate.
    private void Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        ValidateSpan(dueTime, nameof(dueTime));
        ValidateSpan(period, nameof(period));
        timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
        timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : utcNow + dueTime;
        timer.Order = ++sequence;
    }

    private bool Change(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (gate)
        {
            if (timer.Disposed)
            {
                return false;
            }

            Arm(timer, dueTime, period);
        }

        FireDueTimers();
        return true;
    }

    private void Remove(ManualTimer timer)
    {
        lock (gate)
        {
            timer.Disposed = true;
            timer.DueAt = null;
            timers.Remove(timer);
        }
    }

    /// <summary>
    /// Fires due timers one at a time, earliest first, outside the lock. Only one thread runs the loop;
    /// a re-entrant or concurrent call (a callback that re-arms its timer, another thread advancing) asks
    /// the running loop to look again instead of recursing.
    /// </summary>
    private void FireDueTimers()
    {
        lock (gate)
        {
            if (firing)
            {
                fireAgain = true;
                return;
            }

            firing = true;
        }

        try
        {
            while (true)
            {
                ManualTimer? next;
                lock (gate)
                {
                    next = null;
                    foreach (var t in timers)
                    {
                        if (t.DueAt is { } due && due <= utcNow &&
                            (next is null || due < next.DueAt || (due == next.DueAt && t.Order < next.Order)))
                        {
                            next = t;
                        }
                    }

                    if (next is null)
                    {
                        if (!fireAgain)
                        {
                            firing = false;
                            return;
                        }

                        fireAgain = false;
                        continue;
                    }

                    // A clock jump: a periodic timer fires once and is next due a period after now.
                    next.DueAt = next.Period is { } p ? utcNow + p : null;
                    next.Order = ++sequence;
                }

                next.Invoke();
            }
        }
        catch
        {
            lock (gate)
            {
                firing = false;
                fireAgain = false;
            }

            throw;
        }
    }

    private sealed class ManualTimer(
        ManualTimeProvider owner, TimerCallback callback, object? state, ExecutionContext? context) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public long Order { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Change(this, dueTime, period);

        public void Invoke()
        {
            if (context is null)
            {
                callback(state);
            }
            else
            {
                ExecutionContext.Run(context, static s => ((ManualTimer)s!).InvokeCallback(), this);
            }
        }

        public void Dispose() => owner.Remove(this);

        private void InvokeCallback() => callback(state);

        public ValueTask DisposeAsync()
        {
            owner.Remove(this);
            return ValueTask.CompletedTask;
        }
    }
}
