using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using LicenseClient.Serialization;
using LicenseClient.Tests.Infrastructure;

namespace LicenseClient.Tests.Conventions;

/// <summary>Rules every public type follows, checked by reflection so new types cannot slip past them.</summary>
public sealed class ConventionTests
{
    private static readonly Assembly Library = typeof(LicenseApiClient).Assembly;

    private static readonly Type[] OpenExceptionBases = [typeof(LicenseApiException), typeof(BorrowException), typeof(LicenseAuthorizationException)];

    [Fact]
    public void Public_types_live_in_the_two_contract_namespaces()
    {
        string[] namespaces = Library.GetExportedTypes().Select(t => t.Namespace!).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(["LicenseClient", "Microsoft.Extensions.DependencyInjection"], namespaces);
    }

    [Fact]
    public void Exceptions_are_sealed_except_the_documented_bases_and_all_can_be_built()
    {
        Type[] exceptions = Library.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToArray();

        Assert.Equal(25, exceptions.Length);
        foreach (Type exception in exceptions)
        {
            // BorrowReceipt.Parse reads text, not an answer: like any .NET Parse, it throws a FormatException.
            Assert.True(
                typeof(LicenseApiException).IsAssignableFrom(exception) || (exception == typeof(BorrowReceiptFormatException) && exception.BaseType == typeof(FormatException)),
                exception.Name);
            Assert.True(exception.IsSealed || OpenExceptionBases.Contains(exception), $"{exception.Name} should be sealed");
            Assert.NotEmpty(exception.GetConstructors());
        }
    }

    [Fact]
    public void Error_code_constants_are_distinct_snake_case()
    {
        string[] codes = typeof(LicenseErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches(new Regex("^[a-z]+(_[a-z]+)*$"), code));
    }

    [Fact]
    public void The_set_of_known_error_codes_holds_every_code_constant_and_nothing_else()
    {
        string[] codes = typeof(LicenseErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(codes, LicenseErrorCodes.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_serialized_wire_property_names_its_snake_case_json_field()
    {
        // The License API's bodies are written and read field by field (FloatingJson, ErrorJson); the wire tests compare their bytes.
        Type[] bodies = typeof(LicenseJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToArray();

        Assert.Equal([typeof(TokenResponseBody)], bodies);
        foreach (PropertyInfo property in bodies.SelectMany(b => b.GetProperties()))
        {
            JsonPropertyNameAttribute? name = property.GetCustomAttribute<JsonPropertyNameAttribute>();
            Assert.True(name is not null, $"{property.DeclaringType!.Name}.{property.Name} has no JsonPropertyName");
            Assert.Matches(new Regex("^[a-z]+(_[a-z]+)*$"), name!.Name);
        }
    }

    [Fact]
    public void Credentials_form_a_closed_set()
    {
        Type[] credentials = Library.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(LicenseCredential))).ToArray();

        Assert.Equal(5, credentials.Length);
        Assert.All(credentials, c => Assert.True(c.IsSealed, c.Name));

        // An internal abstract member cannot be overridden outside the library, so no other assembly can add a kind.
        Assert.Contains(
            typeof(LicenseCredential).GetMethods(BindingFlags.Instance | BindingFlags.NonPublic),
            m => m.IsAbstract && m.IsAssembly);
    }

    [Fact]
    public void The_assembly_is_strong_named_with_the_project_key()
        => Assert.Equal("6589784306167cf7", Convert.ToHexStringLower(Library.GetName().GetPublicKeyToken()!));

    [Fact]
    public void Public_records_and_the_client_are_sealed()
    {
        Type[] types = [typeof(LicenseApiClient), typeof(LicenseClientOptions), typeof(BorrowRequest), typeof(ReleaseRequest), typeof(FeatureBorrowRequest), typeof(FeatureReleaseRequest), typeof(BorrowedLicense), typeof(BorrowedFeature), typeof(ApiKeySigner)];
        Assert.All(types, t => Assert.True(t.IsSealed, t.Name));
    }

    [Fact]
    public void The_pipeline_has_no_branch_for_any_endpoint()
    {
        // The four endpoints are four descriptions (Floating/FloatingOperations.cs); the shared machinery in Http/
        // must not know any of them, so a fifth endpoint needs no change there.
        string[] endpointWords =
        [
            "api/v4", "BorrowRequest", "ReleaseRequest", "BorrowedLicense", "BorrowedFeature", "FloatingOperations",
            "LicenseApiOperation.Borrow", "LicenseApiOperation.Release",
        ];
        string[] sources = Directory.GetFiles(Path.Combine(Repository.Root, "src", "LicenseClient", "Http"), "*.cs");

        Assert.Contains(sources, path => path.EndsWith("LicensePipeline.cs", StringComparison.Ordinal));
        foreach (string path in sources)
        {
            string text = File.ReadAllText(path);
            Assert.All(endpointWords, word => Assert.False(text.Contains(word, StringComparison.Ordinal), $"{Path.GetFileName(path)} mentions {word}"));
        }
    }
}
