using Microsoft.Extensions.Options;

namespace LicenseClient.DependencyInjection;

/// <summary>Checks registered options the way the client's constructor would, but as a validation result.</summary>
internal sealed class LicenseClientOptionsValidator : IValidateOptions<LicenseClientOptions>
{
    public ValidateOptionsResult Validate(string? name, LicenseClientOptions options)
    {
        string? problem = options.FindCredentialProblem();
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
