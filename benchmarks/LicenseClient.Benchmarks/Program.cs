using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace LicenseClient.Benchmarks;

/// <summary>
/// Runs the benchmarks in this process (no generated project to build), with a short job: a full run takes a few
/// minutes. Compare ratios within one run, not numbers across machines or runs.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(12)
                .WithId("Short"))
            .HideColumns("Job", "Toolchain", "LaunchCount", "WarmupCount", "IterationCount", "Error", "StdDev", "RatioSD", "Gen0", "Gen1", "Gen2");
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
