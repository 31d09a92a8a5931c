using System;

namespace LicenseClient;

/// <summary>
/// How <see cref="LicenseApiClient"/> retries a call that failed for a reason that may pass: no
/// connection, no answer in time, HTTP 408, 429, 500, 502, 503 or 504. Other failures are never retried.
/// </summary>
/// <remarks>
/// The wait before retry <c>n</c> (counting from 0) is <see cref="BaseDelay"/> × 2<sup>n</sup>, varied at
/// random by ±20 % so many clients do not retry in step, and capped at <see cref="MaxDelay"/>. When the
/// server sends a longer <c>Retry-After</c>, the client waits that long instead, unless it is longer
/// than <see cref="MaxRetryAfter"/> or than what is left of <see cref="LicenseClientOptions.Timeout"/>:
/// then the call fails at once and <see cref="LicenseApiException.RetryAfter"/> says how long the server asked for.
/// </remarks>
public sealed class LicenseRetryOptions
{
    private int _maxRetries = 3;
    private TimeSpan _baseDelay = TimeSpan.FromMilliseconds(800);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(8);
    private TimeSpan _maxRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>How many times a failed call is retried, after its first attempt. Defaults to 3; 0 turns retries off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRetries must be 0 or more.");
    }

    /// <summary>The typical wait before the first retry; each later retry waits twice as long. Defaults to 0.8 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or longer than a day.</exception>
    public TimeSpan BaseDelay
    {
        get => _baseDelay;
        set => _baseDelay = NotNegative(value, nameof(BaseDelay));
    }

    /// <summary>The longest wait between two attempts, unless the server asks for longer with <c>Retry-After</c>. Defaults to 8 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or longer than a day.</exception>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set => _maxDelay = NotNegative(value, nameof(MaxDelay));
    }

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for before retrying. A server asking for longer ends
    /// the call at once. Defaults to 30 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or longer than a day.</exception>
    public TimeSpan MaxRetryAfter
    {
        get => _maxRetryAfter;
        set => _maxRetryAfter = NotNegative(value, nameof(MaxRetryAfter));
    }

    /// <summary>Describes what is inconsistent, or returns <see langword="null"/>.</summary>
    internal string? FindProblem(Func<string, string> setting)
        => MaxDelay < BaseDelay
            ? $"{setting(nameof(MaxDelay))} ({MaxDelay}) must not be shorter than {setting(nameof(BaseDelay))} ({BaseDelay})."
            : null;

    private static TimeSpan NotNegative(TimeSpan value, string name)
        => value >= TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, name + " must be between 0 and 1 day.");
}
