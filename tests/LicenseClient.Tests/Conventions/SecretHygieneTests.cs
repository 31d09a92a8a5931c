using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Conventions;

/// <summary>
/// Runs success and failure scenarios with known secret values and checks that none of them shows up
/// in anything observable: exception messages and ToString(), and the ToString() of every object a
/// caller handles.
/// </summary>
public sealed class SecretHygieneTests
{
    private const string SharedKey = "SHARED-KEY-5ecr3t";
    private const string LicenseKey = "LICENSE-KEY-5ecr3t";
    private const string Password = "PASSWORD-5ecr3t";
    private const string IdToken = "ID-TOKEN-5ecr3t";
    private const string Code = "AUTH-CODE-5ecr3t";
    private const string ClientSecret = "CLIENT-SECRET-5ecr3t";
    private const string Token = "ACCESS-TOKEN-5ecr3t";

    private static readonly string[] Secrets = [SharedKey, LicenseKey, Password, IdToken, Code, ClientSecret, Token];

    private static readonly LicenseCredential[] Credentials =
    [
        LicenseCredential.FromLicenseKey(LicenseKey),
        LicenseCredential.FromUser("ann@example.test", Password),
        LicenseCredential.FromIdToken(IdToken, "ACME"),
        LicenseCredential.FromAuthorizationCode(Code, "ACME", new Uri("https://app.example.test/cb")),
    ];

    [Fact]
    public async Task No_secret_reaches_messages_or_to_string()
    {
        var observed = new List<string>();
        var answers = new (int Status, string Body)[]
        {
            (200, LicenseApiStub.SuccessBody),
            (400, "{\"status\":400,\"code\":\"floating_not_available\",\"message\":\"No available slots for floating license\"}"),
            (400, "{\"status\":400,\"code\":\"missing_parameters\",\"message\":\"Some parameters are missing in the request: product.\"}"),
            (401, "{\"status\":401,\"code\":\"signature_mismatch\",\"message\":\"signature mismatch\"}"),
            (409, "{\"status\":409,\"code\":\"something_new\",\"message\":\"new\"}"),
            (502, "<html>Bad Gateway</html>"),
            (200, "{\"borrowed_until\":"),
        };

        foreach ((int status, string body) in answers)
        {
            using var api = new LicenseApiStub().RespondToBorrow(status, body);
            LicenseClientOptions options = api.Options();
            options.SharedKey = SharedKey;
            observed.Add(options.ToString()!);
            using var client = new LicenseApiClient(options);
            observed.Add(client.ToString()!);

            foreach (LicenseCredential credential in Credentials)
            {
                BorrowRequest request = new("product-x", "hw-1", credential);
                observed.Add(credential.ToString());
                observed.Add(request.ToString());
                try
                {
                    observed.Add((await client.BorrowAsync(request)).ToString());
                }
                catch (LicenseApiException ex)
                {
                    observed.Add(ex.Message);
                    observed.Add(ex.ToString());
                }
            }
        }

        using (var server = new SilentServer())
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(100) };
            var options = new LicenseClientOptions { BaseAddress = server.BaseAddress, ApiKey = "k", SharedKey = SharedKey, ServerPublicKey = TestKeys.PublicKeyPem, Retry = { MaxRetries = 0 } };
            using var client = new LicenseApiClient(http, options);
            LicenseApiException error = await Assert.ThrowsAsync<LicenseApiException>(() => client.BorrowAsync(new("p", "h", Credentials[0])));
            observed.Add(error.ToString());
        }

        observed.Add(new ApiKeySigner("k", SharedKey).ToString()!);
        await ObserveOAuthAsync(observed);
        await ObserveReleasesAndFeaturesAsync(observed);

        Assert.True(observed.Count > 80, $"{observed.Count} observations");
        foreach (string text in observed)
        {
            foreach (string secret in Secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>Release, feature borrow and feature release refused, with every credential they take, and their requests.</summary>
    private static async Task ObserveReleasesAndFeaturesAsync(List<string> observed)
    {
        const string refusal = "{\"status\":400,\"code\":\"license_not_found\",\"message\":\"License not found\"}";
        using var api = new LicenseApiStub()
            .RespondAt(LicenseApiStub.ReleasePath, LicenseApiStub.ErrorAnswer(400, "license_not_found", "License not found"))
            .RespondAt(LicenseApiStub.FeatureReleasePath, LicenseApiStub.ErrorAnswer(400, "floating_feature_device_not_in_use", "Not in use"))
            .RespondAt(LicenseApiStub.FeatureBorrowPath, LicenseApiStub.Answer(400, refusal));
        LicenseClientOptions options = api.Options();
        options.SharedKey = SharedKey;
        using var client = new LicenseApiClient(options);
        foreach (LicenseCredential credential in Credentials)
        {
            var borrow = new FeatureBorrowRequest("product-x", "export", "hw-1", credential);
            observed.Add(borrow.ToString());
            observed.Add((await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowFeatureAsync(borrow))).ToString());
        }

        foreach (LicenseCredential credential in Credentials[..2])
        {
            var release = new ReleaseRequest("product-x", "hw-1", credential);
            var featureRelease = new FeatureReleaseRequest("product-x", "export", "hw-1", credential);
            observed.Add(release.ToString());
            observed.Add(featureRelease.ToString());
            observed.Add((await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.ReleaseAsync(release))).ToString());
            observed.Add((await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.ReleaseFeatureAsync(featureRelease))).ToString());
        }

        Assert.All(api.Requests.Where(r => r.Path != LicenseApiStub.FeatureBorrowPath), request => Assert.DoesNotContain(Password, request.Body, StringComparison.Ordinal));
    }

    /// <summary>OAuth: a borrow with a token, a token refused twice, a client refused, and a forged answer.</summary>
    private static async Task ObserveOAuthAsync(List<string> observed)
    {
        var scenarios = new (WireMock.ResponseBuilders.IResponseBuilder Token, WireMock.ResponseBuilders.IResponseBuilder Borrow)[]
        {
            (LicenseApiStub.TokenAnswer(Token), LicenseApiStub.SuccessAnswer()),
            (LicenseApiStub.TokenAnswer(Token), LicenseApiStub.ErrorAnswer(401, "oauth_token_expired", "Token expired")),
            (LicenseApiStub.UnsignedAnswer(401, "{\"error\":\"invalid_client\"}"), LicenseApiStub.SuccessAnswer()),
            (LicenseApiStub.TokenAnswer(Token), LicenseApiStub.UnsignedAnswer(200, LicenseApiStub.SuccessBody, "application/json", ("LicenseSignature", "AAAA"))),
        };

        foreach ((var token, var borrow) in scenarios)
        {
            using var api = new LicenseApiStub().RespondToTokenInTurn(token).RespondInTurn(borrow);
            LicenseClientOptions options = api.OAuthOptions(ClientSecret);
            observed.Add(options.ToString()!);
            using LicenseApiClient client = api.CreateClient(options);
            foreach (LicenseCredential credential in Credentials)
            {
                try
                {
                    observed.Add((await client.BorrowAsync(new BorrowRequest("product-x", "hw-1", credential))).ToString());
                }
                catch (LicenseApiException ex)
                {
                    observed.Add(ex.ToString());
                }
            }
        }

        using var signer = new OAuthClientCredentialsSigner("client-1", ClientSecret);
        observed.Add(signer.ToString()!);
    }
}
