using System;
using System.Collections.Generic;
using System.Linq;

namespace LicenseClient;

/// <summary>
/// Some required parameters were missing from the request (<c>missing_parameters</c>).
/// <see cref="Parameters"/> lists the names the server gave.
/// </summary>
public sealed class MissingParametersException : BorrowException
{
    private static readonly char[] TrimmedFromNames = [' ', '\t', '.', '{', '}', '[', ']', '(', ')', '\'', '"', '`'];

    /// <summary>Creates the error from the server's answer.</summary>
    /// <param name="status">The HTTP status (the License API sends 400).</param>
    /// <param name="serverMessage">
    /// The server's <c>message</c>, such as <c>Some parameters are missing in the request: product, hardware_id.</c>
    /// </param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <param name="operation">The operation the server refused.</param>
    public MissingParametersException(int? status, string? serverMessage, Exception? innerException = null, LicenseApiOperation operation = LicenseApiOperation.None)
        : base(status, LicenseErrorCodes.MissingParameters, serverMessage, innerException, operation)
        => Parameters = ParseParameters(serverMessage);

    /// <summary>
    /// The missing parameters' names as the server listed them after the message's last colon, in its
    /// order; empty when the message names none.
    /// </summary>
    public IReadOnlyList<string> Parameters { get; }

    private static string[] ParseParameters(string? serverMessage)
    {
        int colon = serverMessage?.LastIndexOf(':') ?? -1;
        if (colon < 0)
        {
            return [];
        }

        return serverMessage!.Substring(colon + 1)
            .Split(',')
            .Select(name => name.Trim(TrimmedFromNames))
            .Where(name => name.Length > 0)
            .ToArray();
    }
}
