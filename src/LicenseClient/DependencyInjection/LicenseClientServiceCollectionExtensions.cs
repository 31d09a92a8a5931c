using System;
using LicenseClient;
using LicenseClient.DependencyInjection;
using LicenseClient.Http;
using LicenseClient.Internal;
using LicenseClient.Offline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ILicenseApiClient"/> with dependency injection.</summary>
public static class LicenseClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILicenseApiClient"/> as a typed client of <c>IHttpClientFactory</c>, configured by
    /// <paramref name="configure"/>. The options are validated when the client is first resolved (and at
    /// start-up in a generic host), with a message that names the bad setting.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HttpClient builder, to add handlers or configure the primary handler.</returns>
    /// <remarks>
    /// When <see cref="LicenseClientOptions.ReceiptStore"/> is not set, an <see cref="IBorrowReceiptStore"/> registered in the
    /// container (such as <c>services.AddSingleton&lt;IBorrowReceiptStore&gt;(new FileBorrowReceiptStore())</c>) keeps the receipts.
    /// The primary handler never follows redirects: a redirected POST would turn into a GET and lose its
    /// body and signature. The client retries on its own (see <see cref="LicenseClientOptions.Retry"/>) and
    /// keeps its own timeouts, so the HttpClient gets no timeout of its own. Add no retry handler of your
    /// own (such as a standard resilience handler): retries would multiply.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IHttpClientBuilder AddLicenseClient(this IServiceCollection services, Action<LicenseClientOptions> configure)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(configure, nameof(configure));

        services.AddOptions<LicenseClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LicenseClientOptions>, LicenseClientOptionsValidator>());

        // One pipeline per container: what it learns about the server's clock serves every client it makes. It logs to
        // LicenseClientOptions.LoggerFactory when set, else to the container's ILoggerFactory.
        services.TryAddSingleton(provider => LicensePipeline.Create(provider.GetRequiredService<IOptions<LicenseClientOptions>>().Value, provider.GetService<ILoggerFactory>()));

        // The receipt store: LicenseClientOptions.ReceiptStore when set, else an IBorrowReceiptStore registered in the container.
        services.TryAddSingleton(provider =>
        {
            LicenseClientOptions options = provider.GetRequiredService<IOptions<LicenseClientOptions>>().Value;
            IBorrowReceiptStore? store = options.ReceiptStore ?? provider.GetService<IBorrowReceiptStore>();
            LicensePipeline pipeline = provider.GetRequiredService<LicensePipeline>();
            return new ReceiptKeeperHolder(ReceiptKeeper.Create(store, options, pipeline.Logger), LicenseClient.Seats.SeatDefaults.From(options, store, pipeline));
        });
        return services
            .AddHttpClient<ILicenseApiClient, LicenseApiCalls>(
                (httpClient, provider) =>
                {
                    ReceiptKeeperHolder receipts = provider.GetRequiredService<ReceiptKeeperHolder>();
                    return new LicenseApiCalls(httpClient, provider.GetRequiredService<LicensePipeline>(), receipts.Keeper, receipts.SeatDefaults);
                })
            .ConfigureHttpClient(httpClient => httpClient.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(OwnedHttpClient.CreateHandler);
    }

    /// <summary>
    /// Registers <see cref="ILicenseApiClient"/> as a typed client of <c>IHttpClientFactory</c>, with options read
    /// from <paramref name="configuration"/> (for example the <c>LicenseClient</c> section of <c>appsettings.json</c>),
    /// keys <c>BaseAddress</c>, <c>ApiKey</c> and <c>SharedKey</c>. The options are validated when the client is
    /// first resolved (and at start-up in a generic host), with a message that names the bad key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The HttpClient builder, to add handlers or configure the primary handler.</returns>
    /// <remarks>Add no retry handler of your own (such as a standard resilience handler): retries would multiply.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IHttpClientBuilder AddLicenseClient(this IServiceCollection services, IConfiguration configuration)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(configuration, nameof(configuration));
        return services.AddLicenseClient(options => LicenseClientOptionsBinder.Bind(configuration, options));
    }
}
