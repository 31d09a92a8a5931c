using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace LicenseClient.Testing;

/// <summary>
/// The control endpoints under <see cref="LicenseApiEmulator.ControlPath"/>, for tests that drive the emulator
/// over HTTP (from any language): <c>GET state</c>, <c>POST faults</c>, <c>DELETE faults</c>, <c>POST clock</c>
/// and <c>POST reset</c>. They answer only requests from loopback, take no authorization, never count as
/// requests to the License API and are never hit by faults.
/// </summary>
internal sealed class EmulatorControl
{
    private const int MaxFaultCount = 10_000;
    private const double SecondsPerDay = 86_400;
    private const double MaxDelayMs = 3_600_000;
    private const double MaxSkewSeconds = 100 * 365 * SecondsPerDay;

    private readonly LicenseApiEmulator _emulator;

    public EmulatorControl(LicenseApiEmulator emulator) => _emulator = emulator;

    /// <summary>Answers a control request; <paramref name="action"/> is the path after the control path.</summary>
    public async Task HandleAsync(HttpContext context, string action)
    {
        if (context.Connection.RemoteIpAddress is not IPAddress remote || !IPAddress.IsLoopback(remote))
        {
            await WriteErrorAsync(context, 403, "forbidden", "The emulator's control endpoints answer loopback only.").ConfigureAwait(false);
            return;
        }

        if (!IsLoopbackName(context.Request.Host.Host))
        {
            await WriteErrorAsync(context, 403, "forbidden", "The emulator's control endpoints answer requests addressed to 127.0.0.1, [::1] or localhost only.").ConfigureAwait(false);
            return;
        }

        string method = context.Request.Method;
        if (HttpMethods.IsPost(method) && !context.Request.HasJsonContentType())
        {
            await WriteErrorAsync(context, 415, "unsupported_media_type", $"{method} on {LicenseApiEmulator.ControlPath} needs Content-Type: application/json.").ConfigureAwait(false);
            return;
        }

        switch (action.ToLowerInvariant())
        {
            case "/state" when HttpMethods.IsGet(method):
                await WriteStateAsync(context).ConfigureAwait(false);
                break;
            case "/faults" when HttpMethods.IsPost(method):
                await SetFaultAsync(context).ConfigureAwait(false);
                break;
            case "/faults" when HttpMethods.IsDelete(method):
                _emulator.Faults.Reset();
                context.Response.StatusCode = 204;
                break;
            case "/clock" when HttpMethods.IsPost(method):
                await MoveClockAsync(context).ConfigureAwait(false);
                break;
            case "/reset" when HttpMethods.IsPost(method):
                _emulator.Reset();
                context.Response.StatusCode = 204;
                break;
            case "/state" or "/faults" or "/clock" or "/reset":
                await WriteErrorAsync(context, 405, "method_not_allowed", $"{method} is not allowed on {LicenseApiEmulator.ControlPath}{action}.").ConfigureAwait(false);
                break;
            default:
                await WriteErrorAsync(context, 404, "not_found", "Requested API path doesn't exist").ConfigureAwait(false);
                break;
        }
    }

    private async Task WriteStateAsync(HttpContext context)
    {
        Instant now = _emulator.LicenseNow;
        var state = new EmulatorState(FloatingLicenses.FormatInstant(now), FloatingLicenses.FormatInstant(_emulator.Now), _emulator.Licenses.State(now));
        await WriteAsync(context, 200, state, ControlJsonContext.Default.EmulatorState).ConfigureAwait(false);
    }

    private async Task SetFaultAsync(HttpContext context)
    {
        FaultSetting? setting = await ReadAsync(context, ControlJsonContext.Default.FaultSetting).ConfigureAwait(false);
        if (setting is null)
        {
            return;
        }

        if (Problem(setting) is string problem)
        {
            await WriteErrorAsync(context, 400, "validation_error", problem).ConfigureAwait(false);
            return;
        }

        try
        {
            switch (setting.Kind)
            {
                case "fail":
                    _emulator.Faults.FailNext(
                        setting.Count,
                        setting.Status ?? 503,
                        setting.RetryAfterSeconds is double retryAfter ? TimeSpan.FromSeconds(retryAfter) : null);
                    break;
                case "delay":
                    _emulator.Faults.DelayNext(setting.Count, TimeSpan.FromMilliseconds(setting.DelayMs!.Value));
                    break;
                case "drop":
                    _emulator.Faults.DropNext(setting.Count);
                    break;
                case "skew":
                    _emulator.Faults.SkewClock(Duration.FromSeconds(setting.Seconds!.Value));
                    break;
                default:
                    await WriteErrorAsync(context, 400, "validation_error", "kind must be fail, delay, drop or skew.").ConfigureAwait(false);
                    return;
            }
        }
        catch (ArgumentOutOfRangeException error)
        {
            await WriteErrorAsync(context, 400, "validation_error", error.Message).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 204;
    }

    /// <summary>What is wrong with a fault setting's numbers, or null when they are in range.</summary>
    private static string? Problem(FaultSetting setting) => setting switch
    {
        { Count: < 1 or > MaxFaultCount } => $"count must be 1 to {MaxFaultCount}.",
        { Kind: "fail", Status: < 400 or > 599 } => "status must be 400 to 599.",
        { Kind: "fail", RetryAfterSeconds: < 0 or > SecondsPerDay } => $"retry_after_seconds must be 0 to {SecondsPerDay}.",
        { Kind: "delay", DelayMs: null or < 0 or > MaxDelayMs } => $"delay_ms is required, from 0 to {MaxDelayMs}.",
        { Kind: "skew", Seconds: null or < -MaxSkewSeconds or > MaxSkewSeconds } => $"seconds is required, from -{MaxSkewSeconds} to {MaxSkewSeconds}.",
        _ => null,
    };

    private static bool IsLoopbackName(string host)
        => host is "127.0.0.1" or "[::1]" or "::1" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);

    private async Task MoveClockAsync(HttpContext context)
    {
        ClockMove? move = await ReadAsync(context, ControlJsonContext.Default.ClockMove).ConfigureAwait(false);
        if (move is null)
        {
            return;
        }

        if (move.AdvanceSeconds is not double seconds || seconds < 0 || double.IsNaN(seconds) || seconds > 100 * 365 * 86_400.0)
        {
            await WriteErrorAsync(context, 400, "validation_error", "advance_seconds must be a number of seconds from 0 to 100 years.").ConfigureAwait(false);
            return;
        }

        _emulator.AdvanceLicenseClock(Duration.FromSeconds(seconds));
        await WriteStateAsync(context).ConfigureAwait(false);
    }

    /// <summary>The request's JSON body, or null after answering <c>validation_error</c>.</summary>
    private static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            T? value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false);
            if (value is not null)
            {
                return value;
            }
        }
        catch (JsonException)
        {
            // Answered below, as for JSON null.
        }

        await WriteErrorAsync(context, 400, "validation_error", "The body must be a JSON object; see the README's control endpoints.").ConfigureAwait(false);
        return null;
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message)
        => WriteAsync(context, status, new ControlError(status, code, message), ControlJsonContext.Default.ControlError);

    private static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>GET …/state</c>: <c>now</c> is the time the licenses live in (moved by <c>POST …/clock</c>),
/// <c>server_now</c> the time the <c>Date</c> headers are checked by.
/// </summary>
internal sealed record EmulatorState(string Now, string ServerNow, IReadOnlyList<LicenseState> Licenses);

/// <summary>A license: its seats in use, the borrows holding them, its floating features and its devices.</summary>
internal sealed record LicenseState(
    long Id,
    string Product,
    int FloatingUsers,
    int SeatsInUse,
    IReadOnlyList<BorrowState> Borrows,
    IReadOnlyList<FeatureState> Features,
    IReadOnlyList<DeviceState> Devices);

/// <summary>A floating feature of a license: its seats in use and the borrows holding them.</summary>
internal sealed record FeatureState(string Code, int FloatingUsers, int SeatsInUse, IReadOnlyList<BorrowState> Borrows);

/// <summary>A borrowed seat: the device holding it and when the borrow ends.</summary>
internal sealed record BorrowState(string HardwareId, long DeviceId, string BorrowedUntil);

/// <summary>A device of a license.</summary>
internal sealed record DeviceState(string HardwareId, long DeviceId, bool Active);

/// <summary>A control endpoint's error, in the License API's error form.</summary>
internal sealed record ControlError(int Status, string Code, string Message);

/// <summary>
/// <c>POST …/faults</c>: <c>kind</c> <c>fail</c> (<c>status</c>, default 503; optional <c>retry_after_seconds</c>),
/// <c>delay</c> (<c>delay_ms</c>), <c>drop</c>, each for the next <c>count</c> requests (default 1), or <c>skew</c>
/// (<c>seconds</c>, the server clock's offset, negative for behind).
/// </summary>
internal sealed class FaultSetting
{
    public string? Kind { get; set; }

    public int Count { get; set; } = 1;

    public int? Status { get; set; }

    public double? RetryAfterSeconds { get; set; }

    public double? DelayMs { get; set; }

    public double? Seconds { get; set; }
}

/// <summary><c>POST …/clock</c>: how far to move the licenses' time forward.</summary>
internal sealed class ClockMove
{
    public double? AdvanceSeconds { get; set; }
}

/// <summary>The control endpoints' JSON contract.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EmulatorState))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(FaultSetting))]
[JsonSerializable(typeof(ClockMove))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
