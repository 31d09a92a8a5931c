using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using LicenseClient.Floating;
using LicenseClient.Http;
using LicenseClient.Security;
using NodaTime;

namespace LicenseClient.Benchmarks;

/// <summary>
/// The parts of a borrow, one at a time, so a regression in <see cref="BorrowBenchmarks"/> points at its cause:
/// signing the request, writing its body, verifying the answer's signature, reading the answer, and mapping an
/// error answer to its exception.
/// </summary>
[MemoryDiagnoser]
public class PartsBenchmarks
{
    private readonly ApiKeySigner _signer = new(Borrowing.ApiKey, Borrowing.SharedKey);
    private readonly HttpRequestMessage _request = new(HttpMethod.Post, "http://127.0.0.1/api/v4/floating/borrow");
    private readonly Instant _now = Instant.FromUtc(2026, 11, 29, 12, 0, 0);
    private ResponseSignatureVerifier _verifier = null!;
    private LicenseAnswer _answer = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        await using SignedAnswerServer server = await SignedAnswerServer.StartAsync();
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsync(server.BaseAddress, new ByteArrayContent([]));
        string signature = string.Join(",", response.Headers.GetValues("LicenseSignature"));
        _verifier = new ResponseSignatureVerifier(PublicKeyPem.Parse(server.PublicKeyPem));
        _answer = new LicenseAnswer(200, "application/json", SignedAnswerServer.BorrowAnswer, signature: signature);
    }

    [GlobalCleanup]
    public void Cleanup() => _request.Dispose();

    [Benchmark(Description = "Sign (ApiKeySigner)")]
    public ValueTask Sign() => _signer.SignAsync(_request, _now, CancellationToken.None);

    [Benchmark(Description = "Serialize the borrow body")]
    public byte[] Serialize() => FloatingOperations.Borrow.WriteBody(Borrowing.Request);

    [Benchmark(Description = "Verify the answer's signature")]
    public void Verify() => _verifier.Verify(_answer);

    [Benchmark(Description = "Read a borrow answer")]
    public BorrowedLicense Read() => FloatingOperations.Borrow.ReadSuccess(Borrowing.Request, _answer);

    // A new answer each time: an answer keeps its parsed error fields, and the parse is part of what is measured.
    [Benchmark(Description = "Map an error answer")]
    public LicenseApiException MapError()
        => AnswerReader.ReadError(new LicenseAnswer(400, "application/json", SignedAnswerServer.RefusalAnswer), LicenseApiOperation.Borrow);
}
