using System;
using System.Collections.Generic;
using System.Threading;
using LicenseClient.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LicenseClient.Tests.Reliability;

/// <summary>The reliability settings: their defaults, their checks, and their configuration keys.</summary>
public sealed class RetryOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new LicenseClientOptions();

        Assert.Equal(3, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(0.8), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(8), options.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
    }

    [Fact]
    public void Negative_retry_settings_are_refused_when_set()
    {
        var retry = new LicenseClientOptions().Retry;

        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => retry.MaxRetries = -1).ParamName);
        Assert.Contains("BaseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => retry.BaseDelay = TimeSpan.FromTicks(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("MaxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => retry.MaxDelay = TimeSpan.FromDays(50)).Message, StringComparison.Ordinal);
        Assert.Contains("MaxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => retry.MaxDelay = TimeSpan.FromSeconds(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryAfter", Assert.Throws<ArgumentOutOfRangeException>(() => retry.MaxRetryAfter = TimeSpan.FromSeconds(-1)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-5)]
    [InlineData(2 * 24 * 60 * 60 * 1000)]
    public void Timeouts_out_of_range_are_refused_when_set(long milliseconds)
    {
        var options = new LicenseClientOptions();
        TimeSpan value = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Contains("AttemptTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => options.AttemptTimeout = value).Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => options.Timeout = value).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinite_timeouts_turn_the_limits_off()
    {
        var options = new LicenseClientOptions { AttemptTimeout = Timeout.InfiniteTimeSpan, Timeout = Timeout.InfiniteTimeSpan, ApiKey = "k", SharedKey = "s" };

        using var client = new LicenseApiClient(options);

        Assert.Equal(Timeout.InfiniteTimeSpan, options.Timeout);
    }

    [Fact]
    public void A_max_delay_shorter_than_the_base_delay_fails_at_construction_naming_both()
    {
        var options = new LicenseClientOptions { ApiKey = "k", SharedKey = "s", Retry = { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(1) } };

        string message = Assert.Throws<InvalidOperationException>(() => new LicenseApiClient(options)).Message;

        Assert.Contains("LicenseClientOptions.Retry.MaxDelay", message, StringComparison.Ordinal);
        Assert.Contains("LicenseClientOptions.Retry.BaseDelay", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_keys_set_every_reliability_setting()
    {
        using ServiceProvider provider = Register(new()
        {
            ["LicenseClient:Retry:MaxRetries"] = "5",
            ["LicenseClient:Retry:BaseDelay"] = "00:00:01",
            ["LicenseClient:Retry:MaxDelay"] = "00:00:20",
            ["LicenseClient:Retry:MaxRetryAfter"] = "00:01:00",
            ["LicenseClient:AttemptTimeout"] = "00:00:15",
            ["LicenseClient:Timeout"] = "00:02:00",
        });

        LicenseClientOptions options = provider.GetRequiredService<IOptions<LicenseClientOptions>>().Value;

        Assert.Equal(5, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Retry.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(15), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Timeout);
    }

    [Theory]
    [InlineData("Retry:MaxRetries", "three")]
    [InlineData("Retry:MaxRetries", "-1")]
    [InlineData("Retry:BaseDelay", "-00:00:01")]
    [InlineData("Timeout", "0")]
    [InlineData("AttemptTimeout", "soon")]
    [InlineData("Retry:MaxDelay", "60")]
    [InlineData("Retry:MaxRetryAfter", "2.00:00:00")]
    public void A_bad_value_fails_at_resolution_naming_its_key(string key, string value)
    {
        using ServiceProvider provider = Register(new() { ["LicenseClient:" + key] = value });

        string message = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILicenseApiClient>()).Message;

        Assert.Contains($"configuration key 'LicenseClient:{key}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inconsistent_delays_in_configuration_fail_at_resolution_naming_the_keys()
    {
        using ServiceProvider provider = Register(new() { ["LicenseClient:Retry:BaseDelay"] = "00:00:10" });

        string message = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILicenseApiClient>()).Message;

        Assert.Contains("configuration key 'LicenseClient:Retry:MaxDelay'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.0, 640)]
    [InlineData(0, 0.5, 800)]
    [InlineData(0, 0.999, 960)]
    [InlineData(1, 0.5, 1600)]
    [InlineData(2, 0.5, 3200)]
    [InlineData(3, 0.5, 6400)]
    [InlineData(3, 0.999, 7677)]
    [InlineData(4, 0.0, 6400)]
    [InlineData(60, 0.5, 7200)]
    [InlineData(60, 0.999, 7998)]
    public void Backoff_doubles_with_jitter_and_stops_at_the_max_delay(int attempt, double random, int expectedMilliseconds)
    {
        TimeSpan delay = LicensePipeline.Backoff(attempt, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(8), random);

        Assert.Equal(expectedMilliseconds, delay.TotalMilliseconds, 0.5);
    }

    private static ServiceProvider Register(Dictionary<string, string?> values)
    {
        values["LicenseClient:ApiKey"] = "k";
        values["LicenseClient:SharedKey"] = "s";
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLicenseClient(configuration.GetSection("LicenseClient"));
        return services.BuildServiceProvider();
    }
}
