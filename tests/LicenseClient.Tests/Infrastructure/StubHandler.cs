using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace LicenseClient.Tests.Infrastructure;

/// <summary>An in-process handler: counts the requests that reach it and answers with a function.</summary>
public sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return Task.FromResult(answer(request));
    }
}
