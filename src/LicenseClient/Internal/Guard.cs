using System;
using System.Diagnostics.CodeAnalysis;

namespace LicenseClient.Internal;

/// <summary>Argument checks that run before any I/O and name the offending parameter.</summary>
internal static class Guard
{
    public static T NotNull<T>([NotNull] T? value, string paramName)
        where T : class
        => value ?? throw new ArgumentNullException(paramName);

    public static string NotBlank([NotNull] string? value, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be empty or white space.", paramName);
        }

        return value;
    }

    public static string? NullOrNotBlank(string? value, string paramName)
        => value is null ? null : NotBlank(value, paramName);

    /// <summary>A license id: <see langword="null"/>, or positive.</summary>
    public static long? LicenseId(long? value, string paramName)
        => value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(paramName, value, paramName + " must be a positive license id.");
}
