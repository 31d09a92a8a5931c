using Microsoft.Extensions.Options;

namespace LicenseClient.DependencyInjection;

/// <summary>Checks registered options the way the client's constructor would, but as a validation result.</summary>
internal sealed class LicenseClientOptionsValidator : IValidateOptions<LicenseClientOptions>
{
    public ValidateOptionsResult Validate(string? name, LicenseClientOptions options)
    {
        string? problem = options.FindProblem();
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
