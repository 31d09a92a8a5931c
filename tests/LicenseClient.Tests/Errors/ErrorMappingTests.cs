using System;
using System.Threading.Tasks;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Errors;

/// <summary>Every error answer the borrow endpoint documents becomes its own exception type.</summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<string, string, Type> BorrowCodes => new()
    {
        { "missing_headers", "Some headers are missing", typeof(MissingHeadersException) },
        { "missing_parameters", "Some parameters are missing in the request: product.", typeof(MissingParametersException) },
        { "unknown_product", "Provided product was not found", typeof(UnknownProductException) },
        { "license_not_found", "License with the provided license user not found", typeof(LicenseNotFoundException) },
        { "license_not_active", "The license is not active", typeof(LicenseNotActiveException) },
        { "license_not_enabled", "The license is not enabled", typeof(LicenseNotEnabledException) },
        { "license_borrow_not_allowed", "License does not allow borrowing", typeof(LicenseBorrowNotAllowedException) },
        { "borrow_until_not_valid", "Borrow until field is not valid", typeof(BorrowUntilNotValidException) },
        { "device_not_found", "An active device matching the hardware_id not found", typeof(DeviceNotFoundException) },
        { "blacklisted", "This device is blacklisted", typeof(DeviceBlacklistedException) },
        { "floating_not_available", "No available slots for floating license", typeof(FloatingNotAvailableException) },
    };

    public static TheoryData<string, int> AuthorizationCodes => new()
    {
        { "authorization_invalid_headers", 400 },
        { "authorization_missing_params", 400 },
        { "hmac_required", 400 },
        { "signature_mismatch", 400 },
        { "signature_mismatch", 401 },
        { "invalid_api_key", 400 },
        { "revoked_api_key", 400 },
        { "read_only_api_key", 400 },
        { "api_key_product_not_allowed", 400 },
        { "oauth_token_expired", 401 },
        { "oauth_token_malformed", 401 },
    };

    [Theory]
    [MemberData(nameof(BorrowCodes))]
    public async Task Each_documented_borrow_code_has_its_exception(string code, string message, Type expected)
    {
        using var api = new LicenseApiStub().RespondWithError(400, code, message);
        using LicenseApiClient client = api.CreateClient();

        BorrowException error = await Assert.ThrowsAnyAsync<BorrowException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.IsType(expected, error);
        Assert.True(expected.IsSealed);
        Assert.Equal(400, error.Status);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.ServerMessage);
        Assert.Equal($"Borrow failed: HTTP 400 ({code}): {message}", error.Message);
        Assert.Single(api.Requests);
    }

    [Theory]
    [MemberData(nameof(AuthorizationCodes))]
    public async Task Authorization_codes_become_authorization_exceptions(string code, int status)
    {
        using var api = new LicenseApiStub().RespondWithError(status, code, "some text");
        using LicenseApiClient client = api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        LicenseAuthorizationException authorization = Assert.IsType<LicenseAuthorizationException>(error);
        Assert.Equal(status, authorization.Status);
        Assert.Equal(code, authorization.ErrorCode);
        Assert.Equal($"Request not authorized: HTTP {status} ({code}): some text", authorization.Message);
    }

    [Fact]
    public async Task An_unknown_code_is_a_plain_borrow_exception_that_keeps_the_code()
    {
        using var api = new LicenseApiStub().RespondWithError(409, "brand_new_code", "Something new");
        using LicenseApiClient client = api.CreateClient();

        LicenseApiException error = await Assert.ThrowsAnyAsync<LicenseApiException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(typeof(BorrowException), error.GetType());
        Assert.Equal("brand_new_code", error.ErrorCode);
        Assert.Equal(409, error.Status);
        Assert.Equal("Something new", error.ServerMessage);
    }

    [Fact]
    public async Task The_type_comes_from_the_code_never_from_the_message()
    {
        using var api = new LicenseApiStub().RespondWithError(400, "unknown_product", "No available slots for floating license");
        using LicenseApiClient client = api.CreateClient();

        await Assert.ThrowsAsync<UnknownProductException>(() => client.BorrowAsync(Requests.WithLicenseKey()));
    }

    [Fact]
    public async Task An_error_without_a_message_still_reads_well()
    {
        using var api = new LicenseApiStub().RespondToBorrow(400, "{\"code\":\"blacklisted\"}");
        using LicenseApiClient client = api.CreateClient();

        DeviceBlacklistedException error = await Assert.ThrowsAsync<DeviceBlacklistedException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Null(error.ServerMessage);
        Assert.Equal("Borrow failed: HTTP 400 (blacklisted)", error.Message);
    }

    [Theory]
    [InlineData("{\"status\":\"400\",\"code\":\"floating_not_available\",\"message\":\"No slots\"}", "No slots")]
    [InlineData("{\"status\":400.0,\"code\":\"floating_not_available\",\"message\":{\"text\":\"x\"}}", null)]
    [InlineData("{\"code\":\"floating_not_available\",\"message\":null,\"extra\":[1]}", null)]
    [InlineData("{\"code\":\"floating_not_available\",\"message\":\"\\ud800 cut\"}", null)]
    public async Task Only_the_code_must_be_well_formed_for_a_typed_error(string body, string? serverMessage)
    {
        using var api = new LicenseApiStub().RespondToBorrow(400, body);
        using LicenseApiClient client = api.CreateClient();

        FloatingNotAvailableException error = await Assert.ThrowsAsync<FloatingNotAvailableException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(serverMessage, error.ServerMessage);
    }

    [Theory]
    [InlineData("Some parameters are missing in the request: { product, hardware_id }.", new[] { "product", "hardware_id" })]
    [InlineData("some parameters are missing in the request: different, parameters", new[] { "different", "parameters" })]
    [InlineData("Some parameters are missing in the request: borrowed_until.", new[] { "borrowed_until" })]
    [InlineData("Some parameters are missing", new string[0])]
    [InlineData(null, new string[0])]
    public void Missing_parameters_are_listed_from_the_message(string? message, string[] expected)
        => Assert.Equal(expected, new MissingParametersException(400, message).Parameters);

    [Fact]
    public async Task Missing_parameters_arrive_parsed_through_the_client()
    {
        using var api = new LicenseApiStub().RespondWithError(400, "missing_parameters", "Some parameters are missing in the request: product, hardware_id.");
        using LicenseApiClient client = api.CreateClient();

        MissingParametersException error = await Assert.ThrowsAsync<MissingParametersException>(() => client.BorrowAsync(Requests.WithLicenseKey()));

        Assert.Equal(["product", "hardware_id"], error.Parameters);
    }

    /// <summary>Codes every floating operation can meet, the new ones included, with their one type each.</summary>
    public static TheoryData<LicenseApiOperation, string, Type> CodesByOperation()
    {
        var data = new TheoryData<LicenseApiOperation, string, Type>();
        (string Code, Type Type, LicenseApiOperation[] From)[] table =
        [
            ("license_not_found", typeof(LicenseNotFoundException), [LicenseApiOperation.Borrow, LicenseApiOperation.Release, LicenseApiOperation.BorrowFeature, LicenseApiOperation.ReleaseFeature]),
            ("device_not_found", typeof(DeviceNotFoundException), [LicenseApiOperation.Borrow, LicenseApiOperation.Release, LicenseApiOperation.ReleaseFeature]),
            ("invalid_json", typeof(InvalidJsonException), [LicenseApiOperation.Borrow, LicenseApiOperation.Release, LicenseApiOperation.BorrowFeature, LicenseApiOperation.ReleaseFeature]),
            ("validation_error", typeof(ValidationErrorException), [LicenseApiOperation.Borrow, LicenseApiOperation.Release, LicenseApiOperation.BorrowFeature, LicenseApiOperation.ReleaseFeature]),
            ("license_expired", typeof(LicenseExpiredException), [LicenseApiOperation.Borrow, LicenseApiOperation.BorrowFeature]),
            ("floating_not_available", typeof(FloatingNotAvailableException), [LicenseApiOperation.Borrow, LicenseApiOperation.Release, LicenseApiOperation.BorrowFeature]),
            ("floating_feature_device_not_in_use", typeof(FeatureNotInUseException), [LicenseApiOperation.ReleaseFeature]),
            ("invalid_license_feature_code", typeof(UnknownFeatureException), [LicenseApiOperation.BorrowFeature, LicenseApiOperation.ReleaseFeature]),
            ("feature_not_floating", typeof(FeatureNotFloatingException), [LicenseApiOperation.BorrowFeature, LicenseApiOperation.ReleaseFeature]),
        ];
        foreach ((string code, Type type, LicenseApiOperation[] from) in table)
        {
            foreach (LicenseApiOperation operation in from)
            {
                data.Add(operation, code, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodesByOperation))]
    public async Task Each_code_has_one_type_whatever_the_operation_and_the_error_names_the_operation(LicenseApiOperation operation, string code, Type expected)
    {
        using var api = new LicenseApiStub().RespondAt(FloatingCalls.PathOf(operation), LicenseApiStub.ErrorAnswer(400, code, "The server's words"));
        using LicenseApiClient client = api.CreateClient();

        BorrowException error = await Assert.ThrowsAnyAsync<BorrowException>(() => FloatingCalls.Invoke(client, operation));

        Assert.IsType(expected, error);
        Assert.True(expected.IsSealed);
        Assert.Equal(operation, error.Operation);
        Assert.Equal(code, error.ErrorCode);
        string verb = operation switch
        {
            LicenseApiOperation.Borrow => "Borrow",
            LicenseApiOperation.Release => "Release",
            LicenseApiOperation.BorrowFeature => "Feature borrow",
            _ => "Feature release",
        };
        Assert.Equal($"{verb} failed: HTTP 400 ({code}): The server's words", error.Message);
        Assert.Single(api.Requests);
    }

    [Theory]
    [MemberData(nameof(FloatingCalls.All), MemberType = typeof(FloatingCalls))]
    public async Task Every_exception_says_which_operation_failed(LicenseApiOperation operation)
    {
        using var api = new LicenseApiStub().RespondAt(FloatingCalls.PathOf(operation), LicenseApiStub.ErrorAnswer(401, "invalid_api_key", "Bad key"));
        using LicenseApiClient client = api.CreateClient();
        using var unreachable = new LicenseApiClient(new LicenseClientOptions { ApiKey = "k", SharedKey = "s", BaseAddress = new Uri("http://127.0.0.1:1/"), ServerPublicKey = TestKeys.PublicKeyPem, Retry = { MaxRetries = 0 } });

        LicenseAuthorizationException refused = await Assert.ThrowsAsync<LicenseAuthorizationException>(() => FloatingCalls.Invoke(client, operation));
        LicenseApiException noAnswer = await Assert.ThrowsAsync<LicenseApiException>(() => FloatingCalls.Invoke(unreachable, operation));

        Assert.Equal(operation, refused.Operation);
        Assert.Equal("connection_failed", noAnswer.ErrorCode);
        Assert.Equal(operation, noAnswer.Operation);
    }

    [Fact]
    public void Exceptions_can_be_built_by_users_for_their_own_tests()
    {
        var error = new FloatingNotAvailableException(400, "No available slots for floating license");
        Assert.Equal("floating_not_available", error.ErrorCode);
        Assert.IsAssignableFrom<BorrowException>(error);
        Assert.Equal("x", new LicenseApiException("x", null, "timeout").Message);
        Assert.Throws<ArgumentNullException>(() => new LicenseApiException("x", null, null!));
        Assert.Equal(LicenseApiOperation.None, error.Operation);
        var feature = new FeatureNotInUseException(400, "m", operation: LicenseApiOperation.ReleaseFeature);
        Assert.Equal(LicenseApiOperation.ReleaseFeature, feature.Operation);
        Assert.Equal("Feature release failed: HTTP 400 (floating_feature_device_not_in_use): m", feature.Message);
    }
}
