using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LicenseClient.Tests.DependencyInjection;

public sealed class AddLicenseClientTests : IDisposable
{
    private readonly LicenseApiStub _api = new LicenseApiStub().RespondWithSuccess();

    [Fact]
    public async Task Configured_by_code_it_resolves_and_borrows()
    {
        var services = new ServiceCollection();
        IHttpClientBuilder builder = services.AddLicenseClient(_api.Configure);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(typeof(ILicenseApiClient).Name, builder.Name);
        BorrowedLicense borrowed = await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(1673449189923780, borrowed.LicenseId);
        Assert.Single(_api.Requests);
    }

    [Theory]
    [MemberData(nameof(FloatingCalls.All), MemberType = typeof(FloatingCalls))]
    public async Task Every_operation_works_through_the_container(LicenseApiOperation operation)
    {
        _api.RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"))
            .RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.SuccessAnswer())
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.UnsignedAnswer(200, "", "text/plain"));
        var services = new ServiceCollection();
        services.AddLicenseClient(_api.Configure);
        using ServiceProvider provider = services.BuildServiceProvider();

        await FloatingCalls.Invoke(provider.GetRequiredService<ILicenseApiClient>(), operation);

        Assert.Equal(FloatingCalls.PathOf(operation), _api.SingleRequest.Path);
    }

    [Fact]
    public async Task Bound_from_a_configuration_section_it_reads_the_three_keys()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["LicenseClient:BaseAddress"] = _api.BaseAddress.AbsoluteUri,
            ["LicenseClient:ApiKey"] = "configured-key",
            ["LicenseClient:SharedKey"] = "configured-shared-key",
            ["LicenseClient:ServerPublicKey"] = TestKeys.PublicKeyPem,
        });
        var services = new ServiceCollection();
        services.AddLicenseClient(configuration.GetSection("LicenseClient"));
        using ServiceProvider provider = services.BuildServiceProvider();

        LicenseClientOptions options = provider.GetRequiredService<IOptions<LicenseClientOptions>>().Value;
        Assert.Equal(_api.BaseAddress, options.BaseAddress);
        Assert.Equal("configured-key", options.ApiKey);
        Assert.Equal("configured-shared-key", options.SharedKey);

        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());
        Assert.Contains("apikey=\"configured-key\"", string.Join(",", _api.SingleRequest.Headers!["Authorization"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void IncludeProductInMetrics_is_read_from_configuration(string? value, bool expected)
    {
        IConfiguration configuration = Configuration(new()
        {
            ["LicenseClient:ApiKey"] = "k",
            ["LicenseClient:SharedKey"] = "s",
            ["LicenseClient:IncludeProductInMetrics"] = value,
        });
        var services = new ServiceCollection();
        services.AddLicenseClient(configuration.GetSection("LicenseClient"));
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptions<LicenseClientOptions>>().Value.IncludeProductInMetrics);
    }

    [Fact]
    public void A_bad_IncludeProductInMetrics_in_configuration_fails_at_resolution_naming_the_key()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["LicenseClient:ApiKey"] = "k",
            ["LicenseClient:SharedKey"] = "s",
            ["LicenseClient:IncludeProductInMetrics"] = "sometimes",
        });
        string message = ResolutionError(services => services.AddLicenseClient(configuration.GetSection("LicenseClient")));

        Assert.Contains("configuration key 'LicenseClient:IncludeProductInMetrics' must be true or false", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_base_address_in_configuration_fails_at_resolution_naming_the_key()
    {
        IConfiguration configuration = Configuration(new()
        {
            ["LicenseClient:BaseAddress"] = "not a uri",
            ["LicenseClient:ApiKey"] = "k",
            ["LicenseClient:SharedKey"] = "s",
        });
        string message = ResolutionError(services => services.AddLicenseClient(configuration.GetSection("LicenseClient")));

        Assert.Contains("configuration key 'LicenseClient:BaseAddress'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_credentials_fail_at_resolution_naming_the_settings()
    {
        string message = ResolutionError(
            services => services.AddLicenseClient(Configuration(new() { ["LicenseClient:ApiKey"] = "k" }).GetSection("LicenseClient")));

        Assert.Contains("configuration key 'LicenseClient:SharedKey'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_by_code_messages_name_the_properties()
    {
        string message = ResolutionError(services => services.AddLicenseClient(options => options.SharedKey = "s"));

        Assert.Contains("LicenseClientOptions.ApiKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolved_clients_are_not_disposable_so_the_container_does_not_keep_them()
    {
        var services = new ServiceCollection();
        AddClient(services, LicenseClientOptions.DefaultBaseAddress);
        using ServiceProvider provider = services.BuildServiceProvider();

        ILicenseApiClient client = provider.GetRequiredService<ILicenseApiClient>();

        Assert.IsNotAssignableFrom<IDisposable>(client);
        Assert.NotSame(client, provider.GetRequiredService<ILicenseApiClient>());
    }

    [Fact]
    public void Validation_runs_at_start_up_through_the_startup_validator()
    {
        var services = new ServiceCollection();
        services.AddLicenseClient(_ => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        IStartupValidator validator = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(validator.Validate);
    }

    [Fact]
    public async Task Handlers_added_through_the_returned_builder_see_every_request_once()
    {
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        AddClient(services, _api.BaseAddress).AddHttpMessageHandler(() => counter);
        using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey());

        Assert.Equal(1, counter.Count);
        Assert.Single(_api.Requests);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        using var api = new LicenseApiStub().RespondWithRedirect(302);
        var services = new ServiceCollection();
        AddClient(services, api.BaseAddress);
        using ServiceProvider provider = services.BuildServiceProvider();

        LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(
            () => provider.GetRequiredService<ILicenseApiClient>().BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(302, error.Status);
        Assert.Equal("invalid_response", error.ErrorCode);
        Assert.Single(api.Requests);
    }

    [Fact]
    public void Null_arguments_are_named()
    {
        var services = new ServiceCollection();
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => services.AddLicenseClient((Action<LicenseClientOptions>)null!)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => services.AddLicenseClient((IConfiguration)null!)).ParamName);
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddLicenseClient(_ => { })).ParamName);
    }

    public void Dispose() => _api.Dispose();

    /// <summary>The message of the validation error that resolving the client raises after <paramref name="register"/>.</summary>
    private static string ResolutionError(Action<ServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using ServiceProvider provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILicenseApiClient>()).Message;
    }

    /// <summary>Registers the client for <paramref name="baseAddress"/> with a valid API key pair.</summary>
    private static IHttpClientBuilder AddClient(ServiceCollection services, Uri baseAddress)
        => services.AddLicenseClient(options =>
        {
            options.BaseAddress = baseAddress;
            options.ServerPublicKey = TestKeys.PublicKeyPem;
            options.ApiKey = "k";
            options.SharedKey = "s";
        });

    private static IConfiguration Configuration(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
