using System;

namespace LicenseClient.Http;

/// <summary>
/// One License API endpoint, described for the pipeline: which operation it is, where it is, how its request
/// body is written, whether a success must carry a verified <c>LicenseSignature</c>, and how a success is read.
/// The pipeline sends any operation the same way (sign, retry, time out, verify, map errors); adding an endpoint
/// means adding one description and its request and result types.
/// </summary>
/// <typeparam name="TRequest">The public request type.</typeparam>
/// <typeparam name="TResult">What a success gives the caller.</typeparam>
internal sealed class LicenseOperation<TRequest, TResult>
{
    private readonly Func<TRequest, byte[]> _writeBody;
    private readonly Func<TRequest, LicenseAnswer, TResult> _readSuccess;

    public LicenseOperation(LicenseApiOperation kind, string path, bool successIsSigned, Func<TRequest, byte[]> writeBody, Func<TRequest, LicenseAnswer, TResult> readSuccess)
    {
        Kind = kind;
        Path = path;
        SuccessIsSigned = successIsSigned;
        _writeBody = writeBody;
        _readSuccess = readSuccess;
    }

    /// <summary>Which operation this is; every exception a call of it throws says so.</summary>
    public LicenseApiOperation Kind { get; }

    /// <summary>The endpoint's path, relative to the base address.</summary>
    public string Path { get; }

    /// <summary>
    /// Whether a success grants something and so must carry a <c>LicenseSignature</c> that verifies; a success that
    /// grants nothing (a release's empty 200) is taken unsigned.
    /// </summary>
    public bool SuccessIsSigned { get; }

    /// <summary>The UTF-8 JSON body for <paramref name="request"/>.</summary>
    public byte[] WriteBody(TRequest request) => _writeBody(request);

    /// <summary>The result a successful (and, where required, verified) answer carries.</summary>
    /// <exception cref="LicenseApiException">The answer could not be understood (<see cref="LicenseErrorCodes.InvalidResponse"/>).</exception>
    public TResult ReadSuccess(TRequest request, LicenseAnswer answer) => _readSuccess(request, answer);
}
