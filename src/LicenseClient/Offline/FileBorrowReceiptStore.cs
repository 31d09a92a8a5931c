using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LicenseClient.Internal;
using LicenseClient.Serialization;
using NodaTime;

namespace LicenseClient;

/// <summary>
/// Keeps receipts and the trusted-time mark as small JSON files in one folder, by default
/// <see cref="DefaultFolder"/> (this application's own folder under the user's local application data).
/// </summary>
/// <remarks>
/// <para>
/// Every write is atomic: the new content goes to a temporary file with a unique name in the same folder, is
/// flushed to disk, and is then renamed over the old file. A crash or power cut leaves the old file or the new
/// one, never a torn one; two processes writing at once leave the last whole write. A write interrupted by a
/// crash can leave its temporary file (<c>*.tmp</c>) behind, which the store never reads.
/// </para>
/// <para>
/// A file that cannot be read (corrupt, cut short, from a newer version, edited by hand) is reported by
/// <see cref="LoadAsync"/>'s status and left in place. File names are built from the product and feature codes
/// with every character other than a lower-case letter, digit, <c>-</c> or <c>_</c> escaped, so no code can
/// reach outside the folder or collide with another on a case-insensitive file system.
/// </para>
/// <para>
/// The files are small (a few kilobytes), so reading, writing, flushing and renaming them run synchronously on the
/// calling thread: each asynchronous method has done its file I/O before it first yields, and only waits asynchronously
/// between attempts at a rename another process is holding up (about 1 second at most). On a slow or network drive,
/// call it from a background thread (<c>Task.Run</c>) rather than a UI thread. The trusted-time document is versioned;
/// one written by a newer version counts as no mark.
/// </para>
/// </remarks>
public sealed class FileBorrowReceiptStore : IBorrowReceiptStore
{
    private const string TrustedTimeFileName = "trusted-time.json";

    private const string PendingReleasePrefix = "pending-release-";

    /// <summary>The version of the trusted-time document this store writes, and the newest it reads.</summary>
    private const int TrustedTimeVersion = 1;

    private static readonly JsonElement TrustedTimeVersionElement = BorrowReceipt.JsonNumber(TrustedTimeVersion);

    /// <summary>How long to wait before each new attempt at a rename another process is holding up: about 1 second in all.</summary>
    private static readonly int[] RenameRetryDelaysMs = [10, 20, 40, 80, 160, 320, 400];

    /// <summary>Names longer than this are shortened, with a hash of the whole name, to stay within file-name limits.</summary>
    private const int MaxNameLength = 96;

    /// <summary>Whole names longer than this are shortened the same way: with the temporary file's suffix, well within 255.</summary>
    private const int MaxFileNameLength = 160;

    /// <summary>Creates a store in <see cref="DefaultFolder"/>, this application's own folder.</summary>
    /// <exception cref="InvalidOperationException">This system has no local application data folder, or the application's name cannot be found; pass a folder, or use <see cref="ForApplication"/>.</exception>
    public FileBorrowReceiptStore()
        : this(DefaultFolder)
    {
    }

    /// <summary>Creates a store in <paramref name="folder"/>, which is created when the first file is written.</summary>
    /// <param name="folder">The folder.</param>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is null, blank or not a valid path.</exception>
    public FileBorrowReceiptStore(string folder)
    {
        Guard.NotBlank(folder, nameof(folder));
        try
        {
            Folder = Path.GetFullPath(folder);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or SecurityException)
        {
            throw new ArgumentException("The folder is not a valid path.", nameof(folder), ex);
        }
    }

    /// <summary>
    /// The default folder, one per application: <c>LicenseClient/&lt;application&gt;/Receipts</c> under
    /// <see cref="Environment.SpecialFolder.LocalApplicationData"/> (on Windows
    /// <c>%LOCALAPPDATA%\LicenseClient\&lt;application&gt;\Receipts</c>), where the application is the entry assembly's
    /// name. Each application keeps its own receipts and its own trusted-time mark, so one application cannot move
    /// another's mark or overwrite its receipts. An application whose entry assembly name may change (or that is
    /// hosted by another executable) names itself with <see cref="ForApplication"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">This system has no local application data folder, or the application's name cannot be found.</exception>
    public static string DefaultFolder
        => FolderFor(EntryApplicationName()
            ?? throw new InvalidOperationException("The application's name cannot be found: create the store with FileBorrowReceiptStore.ForApplication(name) or with a folder."));

    /// <summary>
    /// A store in the default folder of the application named <paramref name="applicationName"/>:
    /// <c>LicenseClient/&lt;applicationName&gt;/Receipts</c> under <see cref="Environment.SpecialFolder.LocalApplicationData"/>.
    /// </summary>
    /// <param name="applicationName">The application's name, used as a folder name (for example <c>Contoso.Editor</c>).</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="applicationName"/> is null, blank, <c>.</c> or <c>..</c>, starts or ends with white space, or has a
    /// character that is not allowed in a file name on every platform (<c>\ / : * ? " &lt; &gt; |</c> or a control character).
    /// </exception>
    /// <exception cref="InvalidOperationException">This system has no local application data folder.</exception>
    public static FileBorrowReceiptStore ForApplication(string applicationName)
    {
        Guard.NotBlank(applicationName, nameof(applicationName));
        if (applicationName is "." or ".." || applicationName.Trim().Length != applicationName.Length || applicationName.IndexOfAny(NotInFileNames) >= 0
            || HasControlCharacter(applicationName))
        {
            throw new ArgumentException("The application name must be a plain folder name: no path separators, reserved characters or surrounding spaces.", nameof(applicationName));
        }

        return new FileBorrowReceiptStore(FolderFor(applicationName));
    }

    /// <summary>The folder the files are in (a full path).</summary>
    public string Folder { get; }

    /// <summary>The file that holds the receipt for <paramref name="product"/> and <paramref name="feature"/>.</summary>
    /// <param name="product">The product code.</param>
    /// <param name="feature">The feature code, or <see langword="null"/> for the license's own receipt.</param>
    /// <exception cref="ArgumentException"><paramref name="product"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    public string PathOf(string product, string? feature = null) => FileOf("receipt-", product, feature, "");

    /// <summary>
    /// The file that holds the pending release of <paramref name="product"/> (and <paramref name="feature"/>) for
    /// <paramref name="hardwareId"/>: <c>pending-release-{product}[.feature-{feature}].device-{hardware id}.json</c> in
    /// <see cref="Folder"/>, each part escaped as <see cref="PathOf"/> escapes receipts' names.
    /// </summary>
    /// <param name="product">The product code.</param>
    /// <param name="hardwareId">The hardware id the seat was held for.</param>
    /// <param name="feature">The feature code, or <see langword="null"/>.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="ArgumentException"><paramref name="product"/> or <paramref name="hardwareId"/> is null or blank, or <paramref name="feature"/> is blank.</exception>
    public string PendingReleasePathOf(string product, string hardwareId, string? feature = null)
        => FileOf(PendingReleasePrefix, product, feature, ".device-" + Escape(Guard.NotBlank(hardwareId, nameof(hardwareId))));

    private string FileOf(string prefix, string product, string? feature, string suffix)
    {
        string name = prefix + Escape(Guard.NotBlank(product, nameof(product)));
        if (Guard.NullOrNotBlank(feature, nameof(feature)) is string code)
        {
            name += ".feature-" + Escape(code);
        }

        // Each part is at most MaxNameLength; a whole name longer than MaxFileNameLength is shortened too, so that it and
        // its temporary file's name stay within file-name limits.
        return Path.Combine(Folder, Shorten(name + suffix) + ".json");
    }

    /// <summary>Characters no file name may hold on Windows, macOS or Linux (control characters aside).</summary>
    private static readonly char[] NotInFileNames = ['\\', '/', ':', '*', '?', '"', '<', '>', '|'];

    /// <summary>The file that holds the trusted-time mark.</summary>
    public string TrustedTimePath => Path.Combine(Folder, TrustedTimeFileName);

    /// <inheritdoc />
    public Task SaveAsync(BorrowReceipt receipt, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(receipt, nameof(receipt));
        string path = PathOf(receipt.Product, receipt.Feature);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAtomicallyAsync(path, receipt.ToUtf8Json(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReceiptLoadResult> LoadAsync(string product, string? feature = null, CancellationToken cancellationToken = default)
    {
        string path = PathOf(product, feature);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Load(path));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string product, string? feature = null, CancellationToken cancellationToken = default)
    {
        string path = PathOf(product, feature);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // No folder, so no receipt: nothing to delete.
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<Instant?> LoadTrustedTimeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Instant? mark = null;
        if (TryRead(TrustedTimePath, out byte[]? bytes, out _) && bytes is not null)
        {
            try
            {
                TrustedTimeDocument? document = JsonSerializer.Deserialize(bytes, ReceiptJsonContext.Default.TrustedTimeDocument);
                if (document is not null
                    && document.Version.ValueKind == JsonValueKind.Number
                    && document.Version.TryGetInt32(out int version)
                    && version is >= 1 and <= TrustedTimeVersion
                    && document.TrustedTime is string text
                    && InstantJsonConverter.TryParse(text, out Instant instant))
                {
                    mark = instant;
                }
            }
            catch (JsonException)
            {
                // An unreadable mark (or one of a newer version) is no mark: the checker falls back to what each receipt proves.
            }
        }

        return Task.FromResult(mark);
    }

    /// <inheritdoc />
    public Task SaveTrustedTimeAsync(Instant trustedTime, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var document = new TrustedTimeDocument
        {
            Version = TrustedTimeVersionElement,
            TrustedTime = InstantJsonConverter.Format(trustedTime),
        };
        return WriteAtomicallyAsync(TrustedTimePath, JsonSerializer.SerializeToUtf8Bytes(document, ReceiptJsonContext.Default.TrustedTimeDocument), cancellationToken);
    }

    /// <inheritdoc/>
    public Task SavePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(release, nameof(release));
        string path = PendingReleasePathOf(release.Product, release.HardwareId, release.Feature);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAtomicallyAsync(path, release.ToUtf8Json(), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PendingRelease>> LoadPendingReleasesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var releases = new List<PendingRelease>();
        string[] paths;
        try
        {
            paths = Directory.GetFiles(Folder, PendingReleasePrefix + "*.json");
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<IReadOnlyList<PendingRelease>>(releases);
        }

        foreach (string path in paths)
        {
            if (TryRead(path, out byte[]? bytes, out _) && bytes is not null)
            {
                try
                {
                    releases.Add(PendingRelease.ParseUtf8(bytes));
                }
                catch (FormatException)
                {
                    // Not an entry this library can read (another version's, or damaged by hand): left for whoever can.
                }
            }
        }

        return Task.FromResult<IReadOnlyList<PendingRelease>>(releases);
    }

    /// <inheritdoc/>
    public Task DeletePendingReleaseAsync(PendingRelease release, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(release, nameof(release));
        string path = PendingReleasePathOf(release.Product, release.HardwareId, release.Feature);
        cancellationToken.ThrowIfCancellationRequested();
        if (TryRead(path, out byte[]? bytes, out _) && bytes is not null && IsEntry(bytes, release))
        {
            try
            {
                File.Delete(path);
            }
            catch (DirectoryNotFoundException)
            {
                // Gone already: nothing to delete.
            }
        }

        return Task.CompletedTask;

        static bool IsEntry(byte[] bytes, PendingRelease release)
        {
            try
            {
                return release.Equals(PendingRelease.ParseUtf8(bytes));
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }

    private static string FolderFor(string applicationName)
    {
        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(root)
            ? throw new InvalidOperationException("This system has no local application data folder: create the FileBorrowReceiptStore with a folder.")
            : Path.Combine(root, "LicenseClient", applicationName, "Receipts");
    }

    /// <summary>
    /// The entry assembly's simple name (the host's friendly name when there is no entry assembly), made a plain folder
    /// name; <see langword="null"/> when there is none. Neither needs reflection over types, so it works under NativeAOT.
    /// </summary>
    private static string? EntryApplicationName()
    {
        string? name = Assembly.GetEntryAssembly()?.GetName().Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            name = AppDomain.CurrentDomain.FriendlyName;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var folder = new StringBuilder(name!.Trim());
        for (int i = 0; i < folder.Length; i++)
        {
            if (Array.IndexOf(NotInFileNames, folder[i]) >= 0 || char.IsControl(folder[i]))
            {
                folder[i] = '_';
            }
        }

        string result = folder.ToString();
        return result is "." or ".." ? "_" : result;
    }

    private static bool HasControlCharacter(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A code as a file-name part: lower-case letters, digits, '-' and '_' kept, every other UTF-8 byte as %XX.</summary>
    private static string Shorten(string name)
    {
        if (name.Length <= MaxFileNameLength)
        {
            return name;
        }

        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(name));
        var shortened = new StringBuilder(MaxNameLength);
        shortened.Append(name, 0, 48).Append('~');
        for (int i = 0; i < 16; i++)
        {
            shortened.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return shortened.ToString();
    }

    internal static string Escape(string code)
    {
        var name = new StringBuilder(code.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(code))
        {
            char c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
            {
                name.Append(c);
            }
            else
            {
                name.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        if (name.Length <= MaxNameLength)
        {
            return name.ToString();
        }

        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(code));
        var hex = new StringBuilder(MaxNameLength);
        hex.Append(name.ToString(0, 48)).Append('~');
        for (int i = 0; i < 16; i++)
        {
            hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    private static ReceiptLoadResult Load(string path)
    {
        if (!TryRead(path, out byte[]? bytes, out Exception? error))
        {
            return new ReceiptLoadResult(ReceiptLoadStatus.Unreadable, null, path, $"The receipt file could not be read: {error!.Message}");
        }

        if (bytes is null)
        {
            return new ReceiptLoadResult(ReceiptLoadStatus.NotFound, null, path, "No receipt is stored for that product and feature.");
        }

        try
        {
            return new ReceiptLoadResult(ReceiptLoadStatus.Found, BorrowReceipt.ParseUtf8(bytes), path);
        }
        catch (BorrowReceiptFormatException ex)
        {
            return new ReceiptLoadResult(ex.Status, null, path, ex.Message);
        }
    }

    /// <summary>Reads a whole file: <see langword="true"/> with its bytes, or with <see langword="null"/> when there is none; <see langword="false"/> when it cannot be read.</summary>
    private static bool TryRead(string path, out byte[]? bytes, out Exception? error)
    {
        bytes = null;
        error = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecurityException)
        {
            error = ex;
            return false;
        }
    }

    /// <summary>Writes <paramref name="content"/> to a unique temporary file beside <paramref name="path"/>, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    private async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        string temporary = Path.Combine(Folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 4096, FileOptions.WriteThrough))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    Replace(temporary, path);
                    return;
                }
                catch (Exception ex) when (attempt < RenameRetryDelaysMs.Length && ex is IOException or UnauthorizedAccessException && File.Exists(temporary))
                {
                    // Another process renamed over the destination at the same moment (Windows refuses that briefly, with
                    // a sharing violation), or created or deleted it since it was looked at: the last whole write wins,
                    // so wait a little longer each time and try again.
                }

                await Task.Delay(RenameRetryDelaysMs[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> in one step where the platform allows.</summary>
    private static void Replace(string source, string destination)
    {
#if NET
        // rename(2) on Unix, MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows: one atomic step.
        File.Move(source, destination, overwrite: true);
#else
        // netstandard2.0 has no overwriting Move. File.Replace is atomic (ReplaceFile on Windows, rename(2) on Unix) but
        // needs an existing destination, and Move needs a missing one; another process may create or delete the
        // destination in between, which the next attempt sees.
        if (File.Exists(destination))
        {
            File.Replace(source, destination, destinationBackupFileName: null, ignoreMetadataErrors: true);
        }
        else
        {
            File.Move(source, destination);
        }
#endif
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write already failed; its temporary file is never read, so a leftover is harmless.
        }
    }
}
