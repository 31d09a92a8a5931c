namespace LicenseClient.Floating;

/// <summary>What a release gives: nothing but its success.</summary>
internal readonly struct Released
{
}
