using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using NodaTime;
using NodaTime.Testing;

namespace LicenseClient.Tests.Offline;

public sealed class FileBorrowReceiptStoreTests : IDisposable
{
    private readonly Receipts.TemporaryFolder _folder = Receipts.NewFolder();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_receipt_saved_and_loaded_by_a_new_store_instance_checks_valid()
    {
        await new FileBorrowReceiptStore(_folder.Path).SaveAsync(Receipts.Genuine());

        ReceiptLoadResult load = await new FileBorrowReceiptStore(_folder.Path).LoadAsync(Receipts.Product);
        ReceiptCheck check = Receipts.Checker(new FakeClock(Receipts.Issued + Duration.FromHours(1)))
            .Check(load.Receipt!, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptLoadStatus.Found, load.Status);
        Assert.Equal(new FileBorrowReceiptStore(_folder.Path).PathOf(Receipts.Product), load.Location);
        Assert.Equal(ReceiptCheckStatus.Valid, check.Status);
    }

    [Fact]
    public async Task Receipts_are_kept_per_product_and_feature_and_deleted_one_by_one()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        await store.SaveAsync(Receipts.Genuine());
        await store.SaveAsync(Receipts.Genuine("export"));

        await store.DeleteAsync(Receipts.Product);

        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync(Receipts.Product)).Status);
        Assert.Equal("export", (await store.LoadAsync(Receipts.Product, "export")).Receipt?.Feature);
        await store.DeleteAsync(Receipts.Product);
        var unmade = new FileBorrowReceiptStore(Path.Combine(_folder.Path, "never-made"));
        await unmade.DeleteAsync("p");
        Assert.Equal(ReceiptLoadStatus.NotFound, (await unmade.LoadAsync("p")).Status);
        Assert.Null(await unmade.LoadTrustedTimeAsync());
        Assert.False(Directory.Exists(unmade.Folder));
    }

    [Fact]
    public async Task A_saved_receipt_replaces_the_old_one_and_leaves_no_temporary_file()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        await store.SaveAsync(Receipts.Genuine(serverDate: Receipts.Issued));
        await store.SaveAsync(Receipts.Genuine(serverDate: Receipts.Issued + Duration.FromMinutes(1)));

        Assert.Equal(Receipts.Issued + Duration.FromMinutes(1), (await store.LoadAsync(Receipts.Product)).Receipt?.ServerDate);
        Assert.Equal([Path.GetFileName(store.PathOf(Receipts.Product))], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("", ReceiptLoadStatus.Corrupt)]
    [InlineData("{\"version\":1,\"product\":\"product-x\",\"hardware_id\":\"hw", ReceiptLoadStatus.Corrupt)]
    [InlineData("\u0000\u0000\u0000\u0000", ReceiptLoadStatus.Corrupt)]
    [InlineData("{\"version\":99,\"product\":\"product-x\",\"hardware_id\":\"hw\",\"body\":\"e30=\"}", ReceiptLoadStatus.NewerVersion)]
    [InlineData("{\"version\":1,\"product\":\"product-x\",\"body\":\"e30=\"}", ReceiptLoadStatus.Invalid)]
    public async Task Every_unreadable_file_is_reported_typed_and_left_in_place(string content, ReceiptLoadStatus expected)
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        string path = store.PathOf(Receipts.Product);
        await File.WriteAllTextAsync(path, content);

        ReceiptLoadResult load = await store.LoadAsync(Receipts.Product);

        Assert.Equal(expected, load.Status);
        Assert.Null(load.Receipt);
        Assert.Equal(path, load.Location);
        Assert.True(File.Exists(path));
        Assert.Equal(content, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_file_cut_short_at_every_length_is_reported_corrupt_and_left_in_place()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        string path = store.PathOf(Receipts.Product);
        byte[] whole = System.Text.Encoding.UTF8.GetBytes(Receipts.Genuine().ToJson());
        for (int length = 0; length < whole.Length; length++)
        {
            await File.WriteAllBytesAsync(path, whole.AsSpan(0, length).ToArray());

            ReceiptLoadResult load = await store.LoadAsync(Receipts.Product);

            Assert.NotEqual(ReceiptLoadStatus.Found, load.Status);
            Assert.True(File.Exists(path));
        }
    }

    [Fact]
    public async Task A_file_edited_by_hand_loads_but_its_check_finds_the_change()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        string path = store.PathOf(Receipts.Product);
        await store.SaveAsync(Receipts.Genuine());
        string edited = (await File.ReadAllTextAsync(path)).Replace("\"hardware_id\":\"hw-1234\"", "\"hardware_id\":\"hw-9999\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, edited);

        ReceiptLoadResult load = await store.LoadAsync(Receipts.Product);
        ReceiptCheck check = Receipts.Checker(new FakeClock(Receipts.Issued)).Check(load.Receipt!, Receipts.Product, Receipts.HardwareId);

        Assert.Equal(ReceiptCheckStatus.WrongHardwareId, check.Status);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_is_reported_unreadable_not_thrown()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        Directory.CreateDirectory(store.PathOf(Receipts.Product));

        ReceiptLoadResult load = await store.LoadAsync(Receipts.Product);

        Assert.Equal(ReceiptLoadStatus.Unreadable, load.Status);
        Assert.True(Directory.Exists(store.PathOf(Receipts.Product)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("a/b\\c:d")]
    [InlineData("CON")]
    [InlineData("naïve product ✓")]
    public async Task Any_code_becomes_one_file_name_inside_the_folder(string code)
    {
        var store = new FileBorrowReceiptStore(_folder.Path);

        string path = store.PathOf(code, code);
        await store.SaveAsync(new BorrowReceipt(Receipts.Body, null, null, code, "hw", code));

        Assert.Equal(_folder.Path, Path.GetDirectoryName(path));
        Assert.Equal(code, (await store.LoadAsync(code, code)).Receipt?.Product);
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Codes_differing_only_in_case_or_length_get_different_files()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        string longCode = new('a', 500);

        Assert.NotEqual(store.PathOf("App").ToUpperInvariant(), store.PathOf("app").ToUpperInvariant());
        Assert.NotEqual(store.PathOf("a", "b"), store.PathOf("a.feature-b"));
        Assert.NotEqual(store.PathOf(longCode), store.PathOf(longCode + "b"));
        Assert.True(Path.GetFileName(store.PathOf(longCode, longCode)).Length < 255);
    }

    [Fact]
    public async Task The_trusted_time_mark_persists_and_an_unreadable_one_counts_as_none()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        Assert.Null(await store.LoadTrustedTimeAsync());

        await store.SaveTrustedTimeAsync(Receipts.Issued);
        Assert.Equal(Receipts.Issued, await new FileBorrowReceiptStore(_folder.Path).LoadTrustedTimeAsync());

        await File.WriteAllTextAsync(store.TrustedTimePath, "{\"trusted_ti");
        Assert.Null(await store.LoadTrustedTimeAsync());
        Assert.True(File.Exists(store.TrustedTimePath));
    }

    [Theory]
    [InlineData("{\"version\":2,\"trusted_time\":\"2026-11-26T12:00:00.000Z\"}")]
    [InlineData("{\"version\":0,\"trusted_time\":\"2026-11-26T12:00:00.000Z\"}")]
    [InlineData("{\"version\":\"1\",\"trusted_time\":\"2026-11-26T12:00:00.000Z\"}")]
    [InlineData("{\"trusted_time\":\"2026-11-26T12:00:00.000Z\"}")]
    public async Task A_trusted_time_document_without_a_version_this_store_reads_counts_as_no_mark(string content)
    {
        var store = new FileBorrowReceiptStore(_folder.Path);
        await File.WriteAllTextAsync(store.TrustedTimePath, content);

        Assert.Null(await store.LoadTrustedTimeAsync());
        Assert.True(File.Exists(store.TrustedTimePath));

        await File.WriteAllTextAsync(store.TrustedTimePath, "{\"version\":1,\"trusted_time\":\"2026-11-26T12:00:00.000Z\"}");
        Assert.Equal(Receipts.Issued, await store.LoadTrustedTimeAsync());
    }

    [Fact]
    public void The_default_folder_is_this_applications_own_under_local_application_data()
    {
        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        string application = Assembly.GetEntryAssembly()!.GetName().Name!;

        Assert.Equal(Path.Combine(root, "LicenseClient", application, "Receipts"), FileBorrowReceiptStore.DefaultFolder);
        Assert.Equal(FileBorrowReceiptStore.DefaultFolder, new FileBorrowReceiptStore().Folder);
    }

    [Fact]
    public void Each_named_application_gets_its_own_folder_and_trusted_time_file()
    {
        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);

        FileBorrowReceiptStore editor = FileBorrowReceiptStore.ForApplication("Contoso.Editor");
        FileBorrowReceiptStore viewer = FileBorrowReceiptStore.ForApplication("Contoso.Viewer");

        Assert.Equal(Path.Combine(root, "LicenseClient", "Contoso.Editor", "Receipts"), editor.Folder);
        Assert.NotEqual(editor.TrustedTimePath, viewer.TrustedTimePath);
        Assert.NotEqual(editor.PathOf("p"), viewer.PathOf("p"));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../other")]
    [InlineData("a\\b")]
    [InlineData("c:x")]
    [InlineData(" padded")]
    [InlineData("tab\there")]
    public void An_application_name_that_is_not_a_plain_folder_name_is_refused(string name)
        => Assert.Throws<ArgumentException>("applicationName", () => FileBorrowReceiptStore.ForApplication(name));

    [Fact]
    public async Task Bad_arguments_are_refused_before_any_file_is_touched()
    {
        var store = new FileBorrowReceiptStore(_folder.Path);

        Assert.Throws<ArgumentException>("folder", () => new FileBorrowReceiptStore(" "));
        await Assert.ThrowsAsync<ArgumentNullException>("receipt", () => store.SaveAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>("product", () => store.LoadAsync(""));
        await Assert.ThrowsAsync<ArgumentException>("feature", () => store.DeleteAsync("p", " "));
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task The_in_memory_store_keeps_receipts_and_the_mark_for_the_process()
    {
        var store = new InMemoryBorrowReceiptStore();
        await store.SaveAsync(Receipts.Genuine("export"));
        await store.SaveTrustedTimeAsync(Receipts.Issued);

        Assert.Equal(ReceiptLoadStatus.NotFound, (await store.LoadAsync(Receipts.Product)).Status);
        Assert.Equal(ReceiptLoadStatus.Found, (await store.LoadAsync(Receipts.Product, "export")).Status);
        Assert.Equal(Receipts.Issued, await store.LoadTrustedTimeAsync());
        await store.DeleteAsync(Receipts.Product, "export");
        Assert.Equal(0, store.Count);
    }
}
