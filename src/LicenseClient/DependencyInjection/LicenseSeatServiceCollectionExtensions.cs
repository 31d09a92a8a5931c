using System;
using LicenseClient;
using LicenseClient.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="FloatingSeat"/> held for the host's lifetime.</summary>
public static class LicenseSeatServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LicenseSeatService"/>, a hosted service that acquires a seat when the host starts and releases it
    /// when the host stops, over the container's <see cref="ILicenseApiClient"/> (register it with <c>AddLicenseClient</c>).
    /// Take <see cref="LicenseSeatService"/> from the container to reach <see cref="LicenseSeatService.Seat"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="request">Builds what seat to hold, from the container (its configuration, say).</param>
    /// <param name="configure">Sets how to wait, renew and release (or <see langword="null"/>); the receipt store and time source default to the client's.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="request"/> is null.</exception>
    public static IServiceCollection AddLicenseSeat(this IServiceCollection services, Func<IServiceProvider, SeatRequest> request, Action<IServiceProvider, SeatOptions>? configure)
    {
        Guard.NotNull(services, nameof(services));
        Guard.NotNull(request, nameof(request));
        services.TryAddSingleton(provider =>
        {
            var options = new SeatOptions();
            configure?.Invoke(provider, options);
            return new LicenseSeatService(provider.GetRequiredService<ILicenseApiClient>(), request(provider), options);
        });
        services.AddHostedService(provider => provider.GetRequiredService<LicenseSeatService>());
        return services;
    }

    /// <summary>Adds <see cref="LicenseSeatService"/> for a fixed <paramref name="request"/>; see the other overload.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="request">What seat to hold.</param>
    /// <param name="configure">Sets how to wait, renew and release (or <see langword="null"/>).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="request"/> is null.</exception>
    public static IServiceCollection AddLicenseSeat(this IServiceCollection services, SeatRequest request, Action<SeatOptions>? configure)
    {
        Guard.NotNull(request, nameof(request));
        return services.AddLicenseSeat(_ => request, configure is null ? null : (_, options) => configure(options));
    }
}
